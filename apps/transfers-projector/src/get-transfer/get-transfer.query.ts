import type { Pool } from 'pg';
import {
  TRANSFER_COLUMNS,
  toTransferView,
  type TransferRow,
  type TransferView,
} from '../shared/transfer.view';

/** Another owner's transfer reads as absent: no existence leak. */
export async function getTransfer(
  pool: Pool,
  schema: string,
  transferId: string,
  ownerId: string,
): Promise<TransferView | undefined> {
  const { rows } = await pool.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM ${schema}.transfers WHERE transfer_id = $1 AND owner_id = $2`,
    [transferId, ownerId],
  );
  return rows[0] && toTransferView(rows[0]);
}
