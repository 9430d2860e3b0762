import type { TransferEvent } from '@cqrs/events';
import type { Projection } from '@cqrs/projections';
import type { PoolClient } from 'pg';
import { migrateReadModel } from '../read-model/read-model.migrations';

/**
 * The `transfers` table, one statement per event: simple and right for a start. When a batch's
 * statements show in a profile, fold the batch first and write it with one unnest statement
 * per kind (apps/accounts-projector/src/projection does).
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
    case 'TransferCreated':
      // A redelivered event is a no-op: the row exists with this version already.
      await tx.query(
        `INSERT INTO ${s}.transfers (transfer_id, owner_id, title, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (transfer_id) DO NOTHING`,
        [
          event.data.transferId,
          event.data.ownerId,
          event.data.title,
          event.streamVersion,
          event.occurredAt,
        ],
      );
      return;
    case 'TransferRenamed':
      // Only a newer version moves the row, so a replayed older event changes nothing.
      await tx.query(
        `UPDATE ${s}.transfers SET title = $2, version = $3, updated_at = $4
          WHERE transfer_id = $1 AND version < $3`,
        [event.data.transferId, event.data.title, event.streamVersion, event.occurredAt],
      );
      return;
    // gen:apply-cases (pnpm gen event adds a case here)
    default:
      return assertNever(event);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled event: ${JSON.stringify(value)}`);
}
