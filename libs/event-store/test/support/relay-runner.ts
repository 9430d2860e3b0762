/**
 * A relay in a process of its own, so a test can SIGKILL it mid-batch. Run with tsx:
 *   DATABASE_URL=... KAFKA_BROKERS=... TOPIC=... BATCH=... tsx relay-runner.ts
 */
import { Kafka, logLevel } from 'kafkajs';
import { OutboxRelay } from '@cqrs/event-store';

const relay = new OutboxRelay({
  database: { connectionString: process.env['DATABASE_URL'] },
  kafka: new Kafka({
    clientId: 'relay-runner',
    brokers: (process.env['KAFKA_BROKERS'] ?? '').split(','),
    logLevel: logLevel.NOTHING,
  }),
  topic: process.env['TOPIC'] ?? '',
  batchSize: Number(process.env['BATCH'] ?? 50),
  pollIntervalMs: 200,
  log: {
    info: () => undefined,
    warn: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`),
  },
  onPublished: (events) => process.stdout.write(`published ${events.length}\n`),
});
relay.start();
process.on('SIGTERM', () => void relay.stop().then(() => process.exit(0)));
