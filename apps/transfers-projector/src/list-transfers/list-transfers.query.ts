import {
  decodeInstantIdCursor,
  encodeInstantIdCursor,
  type InstantIdCursor,
} from '@cqrs/projector-service';
import type { Pool } from 'pg';
import {
  TRANSFER_COLUMNS,
  toTransferView,
  type TransferRow,
  type TransferView,
} from '../shared/transfer.view';

export interface TransfersPage {
  items: TransferView[];
  nextCursor: string | null;
}

/** The position after (created_at, transfer_id), or undefined for a cursor that is not one. */
export const decodeTransfersCursor = decodeInstantIdCursor;

/**
 * Keyset pagination in a stable order (created_at, transfer_id), served by the index of the same
 * columns: a page costs the same at any depth and never skips or repeats under inserts.
 */
export async function listTransfers(
  pool: Pool,
  schema: string,
  ownerId: string,
  limit: number,
  after: InstantIdCursor | undefined,
): Promise<TransfersPage> {
  const { rows } = await pool.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM ${schema}.transfers
      WHERE owner_id = $1 AND ($2::timestamptz IS NULL OR (created_at, transfer_id) > ($2::timestamptz, $3::uuid))
      ORDER BY created_at, transfer_id LIMIT $4`,
    [ownerId, after?.at ?? null, after?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toTransferView);
  const last = page[page.length - 1];
  return {
    items: page,
    nextCursor:
      rows.length > limit && last
        ? encodeInstantIdCursor({ at: last.createdAt, id: last.transferId })
        : null,
  };
}
