/** A transfer as the query API answers it (TransferSchema of the context). */
export interface TransferView {
  transferId: string;
  ownerId: string;
  title: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TransferRow {
  transfer_id: string;
  owner_id: string;
  title: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const TRANSFER_COLUMNS = 'transfer_id, owner_id, title, version, created_at, updated_at';

export const toTransferView = (row: TransferRow): TransferView => ({
  transferId: row.transfer_id,
  ownerId: row.owner_id,
  title: row.title,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
