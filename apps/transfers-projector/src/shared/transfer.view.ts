import type { TransferFailureCode } from '@cqrs/events';

export type TransferStatus = 'pending' | 'completed' | 'failed';

/** A transfer as the query API answers it (TransferSchema of the context). */
export interface TransferView {
  transferId: string;
  fromAccountId: string;
  toAccountId: string;
  amount: number;
  currency: string;
  status: TransferStatus;
  failureCode: TransferFailureCode | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface TransferRow {
  transfer_id: string;
  from_account_id: string;
  to_account_id: string;
  /** bigint arrives as text; amounts are at most 1e9, so the number is exact. */
  amount: string;
  currency: string;
  status: TransferStatus;
  failure_code: TransferFailureCode | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const TRANSFER_COLUMNS =
  'transfer_id, from_account_id, to_account_id, amount, currency, status, failure_code, version, created_at, updated_at';

export const isSettled = (view: TransferView): boolean => view.status !== 'pending';

export const toTransferView = (row: TransferRow): TransferView => ({
  transferId: row.transfer_id,
  fromAccountId: row.from_account_id,
  toAccountId: row.to_account_id,
  amount: Number(row.amount),
  currency: row.currency,
  status: row.status,
  failureCode: row.failure_code,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  version: row.version,
});
