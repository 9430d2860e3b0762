/** Stable codes: clients, dashboards and tests match on them; never rename one. */
export const transferErrorCodes = [
  'TRANSFER_NOT_FOUND',
  'TRANSFER_ALREADY_EXISTS',
  'TRANSFER_SAME_ACCOUNT',
  'TRANSFER_ALREADY_COMPLETED',
  'TRANSFER_ALREADY_FAILED',
  'TRANSFER_INVALID_AMOUNT',
  'TRANSFER_INVALID_ACCOUNT_ID',
  'TRANSFER_INVALID_FAILURE_CODE',
  /** The source account: the same code and status the accounts context answers. */
  'ACCOUNT_NOT_FOUND',
] as const;
export type TransferErrorCode = (typeof transferErrorCodes)[number];

export interface TransferError {
  readonly code: TransferErrorCode;
  readonly message: string;
}

export const transferError = (code: TransferErrorCode, message: string): TransferError => ({
  code,
  message,
});
