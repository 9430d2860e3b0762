/** Stable codes: clients, dashboards and tests match on them; never rename one. */
export const transferErrorCodes = [
  'TRANSFER_NOT_FOUND',
  'TRANSFER_ALREADY_EXISTS',
  'TRANSFER_INVALID_TITLE',
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
