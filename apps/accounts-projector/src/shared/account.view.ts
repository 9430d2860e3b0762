/** The account as the query API answers it (api-contract.md, Queries). */
export interface AccountView {
  accountId: string;
  ownerId: string;
  currency: string;
  balance: number;
  status: 'open' | 'closed';
  version: number;
  openedAt: string;
  updatedAt: string;
}

export interface AccountRow {
  account_id: string;
  owner_id: string;
  currency: string;
  balance: string;
  status: 'open' | 'closed';
  version: number;
  opened_at: Date;
  updated_at: Date;
}

export const ACCOUNT_COLUMNS =
  'account_id, owner_id, currency, balance, status, version, opened_at, updated_at';

export const toAccountView = (row: AccountRow): AccountView => ({
  accountId: row.account_id,
  ownerId: row.owner_id,
  currency: row.currency,
  balance: Number(row.balance),
  status: row.status,
  version: row.version,
  openedAt: row.opened_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
