import type { Pool } from 'pg';
import type { TransactionType } from '../projection/accounts-fold';
import { encodeTransactionsCursor } from '../shared/cursor';

export interface TransactionView {
  type: TransactionType;
  /** Only on the legs of a transfer: deposits and withdrawals stay as they were, without it. */
  transferId?: string;
  amount: number;
  balanceAfter: number;
  version: number;
  occurredAt: string;
}

export interface TransactionsPage {
  items: TransactionView[];
  nextCursor: string | null;
}

/** Oldest first, by version (the primary key's order); undefined when not the caller's account. */
export async function listTransactions(
  pool: Pool,
  schema: string,
  accountId: string,
  ownerId: string,
  limit: number,
  afterVersion: number,
): Promise<TransactionsPage | undefined> {
  const owned = await pool.query(
    `SELECT 1 FROM ${schema}.accounts WHERE account_id = $1 AND owner_id = $2`,
    [accountId, ownerId],
  );
  if (owned.rowCount === 0) return undefined;
  const { rows } = await pool.query<{
    type: TransactionType;
    transfer_id: string | null;
    amount: string;
    balance_after: string;
    version: number;
    occurred_at: Date;
  }>(
    `SELECT type, transfer_id, amount, balance_after, version, occurred_at FROM ${schema}.account_transactions
      WHERE account_id = $1 AND version > $2 ORDER BY version LIMIT $3`,
    [accountId, afterVersion, limit + 1],
  );
  const items = rows.slice(0, limit).map((r) => ({
    type: r.type,
    ...(r.transfer_id === null ? {} : { transferId: r.transfer_id }),
    amount: Number(r.amount),
    balanceAfter: Number(r.balance_after),
    version: r.version,
    occurredAt: r.occurred_at.toISOString(),
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeTransactionsCursor(last.version) : null,
  };
}
