import type { Pool } from 'pg';
import {
  TRANSFER_COLUMNS,
  toTransferView,
  type TransferRow,
  type TransferView,
} from '../shared/transfer.view';

/** Only the sender sees a transfer; to anyone else it reads as absent (no existence leak). */
export async function getTransfer(
  pool: Pool,
  schema: string,
  transferId: string,
  sender: string,
): Promise<TransferView | undefined> {
  const { rows } = await pool.query<TransferRow>(
    `SELECT ${TRANSFER_COLUMNS} FROM ${schema}.transfers WHERE transfer_id = $1 AND requested_by = $2`,
    [transferId, sender],
  );
  return rows[0] && toTransferView(rows[0]);
}
