import { accountEventRegistry } from '@cqrs/events';
import type { Kafka } from 'kafkajs';
import { checkedSchema } from '@cqrs/projections';
import { DataSource } from 'typeorm';
import { AccountTransactionEntity } from './account-transaction.entity';
import { AccountEntity } from './account.entity';

/**
 * The read model's tables (as the service's migrations create them) seen through ORM entities;
 * the ORM only reads and writes rows here, it creates nothing.
 */
export function naiveBaselineDataSource(url: string, schema: string, poolSize: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    schema: checkedSchema(schema),
    entities: [AccountEntity, AccountTransactionEntity],
    synchronize: false,
    logging: false,
    extra: { max: poolSize },
  });
}

/**
 * THE FOIL, not a pattern to copy: a projector written the usual NestJS-starter way. One
 * message at a time (eachMessage), an ORM findOne + save per event in its own transaction, and
 * an offset commit after every message. Correct enough, and it shows what batching buys.
 */
export async function runNaiveBaseline(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  dataSource: DataSource;
  limit: number;
}): Promise<{ events: number; seconds: number }> {
  const consumer = options.kafka.consumer({ groupId: options.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  let processed = 0;
  let started = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({ message }) => {
      if (processed >= options.limit) return;
      if (started === 0) started = Date.now();
      const parsed = accountEventRegistry.parseEventJson(message.value ?? Buffer.alloc(0));
      if (!parsed.ok) return;
      const event = parsed.event;
      await options.dataSource.transaction(async (manager) => {
        const account = await manager.findOne(AccountEntity, {
          where: { accountId: event.streamId },
        });
        if (account && event.streamVersion <= account.version) return;
        switch (event.type) {
          case 'AccountOpened':
            await manager.save(
              manager.create(AccountEntity, {
                accountId: event.streamId,
                ownerId: event.data.ownerId,
                currency: event.data.currency,
                balance: '0',
                status: 'open',
                version: event.streamVersion,
                openedAt: new Date(event.occurredAt),
                updatedAt: new Date(event.occurredAt),
              }),
            );
            break;
          case 'MoneyDeposited':
          case 'MoneyWithdrawn':
            if (!account) return;
            account.balance = String(event.data.balanceAfter);
            account.version = event.streamVersion;
            account.updatedAt = new Date(event.occurredAt);
            await manager.save(account);
            await manager.save(
              manager.create(AccountTransactionEntity, {
                accountId: event.streamId,
                version: event.streamVersion,
                type: event.type === 'MoneyDeposited' ? 'deposit' : 'withdrawal',
                amount: String(event.data.amount),
                balanceAfter: String(event.data.balanceAfter),
                occurredAt: new Date(event.occurredAt),
              }),
            );
            break;
          case 'AccountClosed':
            if (!account) return;
            account.status = 'closed';
            account.version = event.streamVersion;
            await manager.save(account);
            break;
          default:
            break;
        }
      });
      processed += 1;
      if (processed === options.limit) resolveDone();
    },
  });
  await done;
  const seconds = (Date.now() - started) / 1000;
  await consumer.disconnect();
  return { events: processed, seconds };
}
