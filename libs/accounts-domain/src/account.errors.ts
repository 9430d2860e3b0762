/** Stable codes: clients, dashboards and tests match on them; never rename one. */
export type AccountErrorCode =
  | 'ACCOUNT_NOT_FOUND'
  | 'ACCOUNT_ALREADY_EXISTS'
  | 'ACCOUNT_CLOSED'
  | 'ACCOUNT_INSUFFICIENT_FUNDS'
  | 'ACCOUNT_BALANCE_NOT_ZERO'
  | 'ACCOUNT_BALANCE_LIMIT'
  | 'ACCOUNT_INVALID_AMOUNT'
  | 'ACCOUNT_INVALID_CURRENCY'
  | 'ACCOUNT_INVALID_OWNER';

export interface AccountError {
  readonly code: AccountErrorCode;
  readonly message: string;
}

/**
 * Suggested HTTP status per code, as data for the HTTP layer (the domain knows no HTTP).
 * The invalid-input codes only fire when a caller skipped body validation, which answers 400.
 */
export const accountErrorHttpStatus: Readonly<Record<AccountErrorCode, 404 | 409 | 422>> = {
  ACCOUNT_NOT_FOUND: 404,
  ACCOUNT_ALREADY_EXISTS: 409,
  ACCOUNT_CLOSED: 422,
  ACCOUNT_INSUFFICIENT_FUNDS: 422,
  ACCOUNT_BALANCE_NOT_ZERO: 422,
  ACCOUNT_BALANCE_LIMIT: 422,
  ACCOUNT_INVALID_AMOUNT: 422,
  ACCOUNT_INVALID_CURRENCY: 422,
  ACCOUNT_INVALID_OWNER: 422,
};

export const accountErrorCodes = Object.keys(accountErrorHttpStatus) as AccountErrorCode[];

export const accountError = (code: AccountErrorCode, message: string): AccountError => ({
  code,
  message,
});
