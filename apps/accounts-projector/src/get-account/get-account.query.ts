import type { Pool } from 'pg';
import {
  ACCOUNT_COLUMNS,
  toAccountView,
  type AccountRow,
  type AccountView,
} from '../shared/account.view';

/** Another owner's account reads as absent: no existence leak. */
export async function getAccount(
  pool: Pool,
  schema: string,
  accountId: string,
  ownerId: string,
): Promise<AccountView | undefined> {
  const { rows } = await pool.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM ${schema}.accounts WHERE account_id = $1 AND owner_id = $2`,
    [accountId, ownerId],
  );
  return rows[0] && toAccountView(rows[0]);
}
