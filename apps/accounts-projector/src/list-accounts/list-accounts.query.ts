import type { Pool } from 'pg';
import {
  ACCOUNT_COLUMNS,
  toAccountView,
  type AccountRow,
  type AccountView,
} from '../shared/account.view';
import { encodeAccountsCursor, type AccountsCursor } from '../shared/cursor';

export interface AccountsPage {
  items: AccountView[];
  nextCursor: string | null;
}

/**
 * Keyset pagination in a stable order (opened_at, account_id), served by the index of the same
 * columns: a page costs the same at any depth and never skips or repeats under inserts.
 */
export async function listAccounts(
  pool: Pool,
  schema: string,
  ownerId: string,
  limit: number,
  after: AccountsCursor | undefined,
): Promise<AccountsPage> {
  const { rows } = await pool.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ${schema}.accounts
      WHERE owner_id = $1 AND ($2::timestamptz IS NULL OR (opened_at, account_id) > ($2::timestamptz, $3::uuid))
      ORDER BY opened_at, account_id LIMIT $4`,
    [ownerId, after?.openedAt ?? null, after?.accountId ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toAccountView);
  const last = page[page.length - 1];
  return {
    items: page,
    nextCursor:
      rows.length > limit && last
        ? encodeAccountsCursor({ openedAt: last.openedAt, accountId: last.accountId })
        : null,
  };
}
