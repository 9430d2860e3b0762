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
 * The transfers `sender` requested, newest first. Keyset pagination in a stable order
 * (created_at, transfer_id) descending, served backwards by the index of the same columns: a
 * page costs the same at any depth, and a transfer requested meanwhile never shifts later pages
 * (it sorts before the first one).
 */
export async function listTransfers(
  pool: Pool,
  schema: string,
  sender: string,
  limit: number,
  after: InstantIdCursor | undefined,
): Promise<TransfersPage> {
  const { rows } = await pool.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM ${schema}.transfers
      WHERE requested_by = $1 AND ($2::timestamptz IS NULL OR (created_at, transfer_id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, transfer_id DESC LIMIT $4`,
    [sender, after?.at ?? null, after?.id ?? null, limit + 1],
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
