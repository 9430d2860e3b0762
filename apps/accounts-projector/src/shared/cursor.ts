import {
  decodeInstantIdCursor,
  decodeVersionCursor,
  encodeInstantIdCursor,
  encodeVersionCursor,
} from '@cqrs/projector-service';

/** Accounts page after (opened_at, account_id). */
export interface AccountsCursor {
  openedAt: string;
  accountId: string;
}

export const encodeAccountsCursor = (c: AccountsCursor): string =>
  encodeInstantIdCursor({ at: c.openedAt, id: c.accountId });

export function decodeAccountsCursor(cursor: string): AccountsCursor | undefined {
  const position = decodeInstantIdCursor(cursor);
  return position && { openedAt: position.at, accountId: position.id };
}

/** Transactions page after a version. */
export const encodeTransactionsCursor = encodeVersionCursor;
export const decodeTransactionsCursor = decodeVersionCursor;
