/** Stable codes: clients, dashboards and tests match on them; never rename one. */
export const accountErrorCodes = [
  'ACCOUNT_NOT_FOUND',
  'ACCOUNT_ALREADY_EXISTS',
  'ACCOUNT_CLOSED',
  'ACCOUNT_INSUFFICIENT_FUNDS',
  'ACCOUNT_BALANCE_NOT_ZERO',
  'ACCOUNT_BALANCE_LIMIT',
  'ACCOUNT_INVALID_AMOUNT',
  'ACCOUNT_INVALID_CURRENCY',
  'ACCOUNT_INVALID_OWNER',
  'ACCOUNT_CURRENCY_MISMATCH',
] as const;
export type AccountErrorCode = (typeof accountErrorCodes)[number];

export interface AccountError {
  readonly code: AccountErrorCode;
  readonly message: string;
}

export const accountError = (code: AccountErrorCode, message: string): AccountError => ({
  code,
  message,
});
