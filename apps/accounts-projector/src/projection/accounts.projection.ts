import type { AccountEvent } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import type { PoolClient } from 'pg';
import { migrateReadModel } from '../read-model/read-model.migrations';
import { foldAccountEvents } from './accounts-fold';

/**
 * accounts + account_transactions. Three statements per batch at most, whatever its size:
 * one unnest insert of new accounts, one unnest update of existing ones, one unnest insert of
 * history rows. Money events of a stream that was never opened update nothing (as `evolve`
 * ignores them); the history still records them, keyed by (account_id, version).
 */
export function accountsProjection(): Projection<AccountEvent> {
  return {
    name: 'accounts',
    migrate: async (pool, schema) => void (await migrateReadModel(pool, schema)),
    applyBatch: async (tx, events, { schema }) => applyAccountEvents(tx, schema, events),
  };
}

async function applyAccountEvents(
  tx: PoolClient,
  s: string,
  events: readonly AccountEvent[],
): Promise<void> {
  const { inserts, patches, transactions } = foldAccountEvents(events);
  if (inserts.length > 0) {
    await tx.query(
      `INSERT INTO ${s}.accounts (account_id, owner_id, currency, balance, status, version, opened_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::int[],
                            $7::timestamptz[], $8::timestamptz[])
       ON CONFLICT (account_id) DO UPDATE SET balance = EXCLUDED.balance, status = EXCLUDED.status,
         version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      [
        inserts.map((r) => r.accountId),
        inserts.map((r) => r.ownerId),
        inserts.map((r) => r.currency),
        inserts.map((r) => r.balance),
        inserts.map((r) => r.status),
        inserts.map((r) => r.version),
        inserts.map((r) => r.openedAt),
        inserts.map((r) => r.updatedAt),
      ],
    );
  }
  if (patches.length > 0) {
    await tx.query(
      `UPDATE ${s}.accounts a
          SET balance = COALESCE(p.balance, a.balance), status = COALESCE(p.status, a.status),
              version = p.version, updated_at = p.updated_at
         FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::int[], $5::timestamptz[])
           AS p(account_id, balance, status, version, updated_at)
        WHERE a.account_id = p.account_id`,
      [
        patches.map((r) => r.accountId),
        patches.map((r) => r.balance),
        patches.map((r) => r.status),
        patches.map((r) => r.version),
        patches.map((r) => r.updatedAt),
      ],
    );
  }
  if (transactions.length > 0) {
    await tx.query(
      `INSERT INTO ${s}.account_transactions (account_id, version, type, amount, balance_after, occurred_at, transfer_id)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::timestamptz[], $7::uuid[])
       ON CONFLICT DO NOTHING`,
      [
        transactions.map((t) => t.accountId),
        transactions.map((t) => t.version),
        transactions.map((t) => t.type),
        transactions.map((t) => t.amount),
        transactions.map((t) => t.balanceAfter),
        transactions.map((t) => t.occurredAt),
        transactions.map((t) => t.transferId),
      ],
    );
  }
}
