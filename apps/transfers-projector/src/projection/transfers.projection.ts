import type { TransferEvent } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import type { PoolClient } from 'pg';
import { migrateReadModel } from '../read-model/read-model.migrations';

/**
 * The `transfers` table, one statement per event: a transfer has at most two events, so there
 * is little to fold. When a batch's statements show in a profile, fold the batch first and
 * write it with one unnest statement per kind (apps/accounts-projector/src/projection does).
 */
export function transfersProjection(): Projection<TransferEvent> {
  return {
    name: 'transfers',
    migrate: async (pool, schema) => void (await migrateReadModel(pool, schema)),
    applyBatch: async (tx, events, { schema }) => {
      for (const event of events) await applyTransferEvent(tx, schema, event);
    },
  };
}

async function applyTransferEvent(tx: PoolClient, s: string, event: TransferEvent): Promise<void> {
  switch (event.type) {
    case 'TransferRequested': {
      const { transferId, fromAccountId, toAccountId, amount, currency, requestedBy } = event.data;
      // A redelivered event is a no-op: the row exists with this version already. The instant is
      // kept to the millisecond, the precision of the list's cursor, so paging never skips a row.
      await tx.query(
        `INSERT INTO ${s}.transfers (transfer_id, from_account_id, to_account_id, amount, currency,
                requested_by, status, failure_code, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', NULL, $7,
                 date_trunc('milliseconds', $8::timestamptz), date_trunc('milliseconds', $8::timestamptz))
         ON CONFLICT (transfer_id) DO NOTHING`,
        [
          transferId,
          fromAccountId,
          toAccountId,
          amount,
          currency,
          requestedBy,
          event.streamVersion,
          event.occurredAt,
        ],
      );
      return;
    }
    case 'TransferCompleted':
    case 'TransferFailed': {
      const failureCode = event.type === 'TransferFailed' ? event.data.failureCode : null;
      const status = event.type === 'TransferFailed' ? 'failed' : 'completed';
      // Only a newer version moves the row, so a replayed older event changes nothing.
      await tx.query(
        `UPDATE ${s}.transfers SET status = $2, failure_code = $3, version = $4, updated_at = $5
          WHERE transfer_id = $1 AND version < $4`,
        [event.data.transferId, status, failureCode, event.streamVersion, event.occurredAt],
      );
      return;
    }
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled event: ${JSON.stringify(value)}`);
}
