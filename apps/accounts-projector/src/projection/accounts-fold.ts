import type { AccountEvent, AccountEventType } from '@cqrs/events';
import type { AccountView } from '../shared/account.view';

/** A new account row: exactly what the query API answers for it. */
export type AccountInsert = AccountView;

/** A change to an account opened in an earlier batch; null means "unchanged". */
export interface AccountPatch {
  accountId: string;
  balance: number | null;
  status: 'closed' | null;
  version: number;
  updatedAt: string;
}

export type TransactionType =
  'deposit' | 'withdrawal' | 'transfer-out' | 'transfer-in' | 'transfer-refund';

/** The history row type of each money event (the query API's `type`). */
const TRANSACTION_TYPE = {
  MoneyDeposited: 'deposit',
  MoneyWithdrawn: 'withdrawal',
  AccountDebitedForTransfer: 'transfer-out',
  AccountCreditedForTransfer: 'transfer-in',
  AccountRefundedForTransfer: 'transfer-refund',
} as const satisfies Partial<Record<AccountEventType, TransactionType>>;

export interface TransactionRow {
  accountId: string;
  version: number;
  type: TransactionType;
  /** The transfer a leg belongs to; null for deposits and withdrawals. */
  transferId: string | null;
  amount: number;
  balanceAfter: number;
  occurredAt: string;
}

export interface FoldedBatch {
  inserts: AccountInsert[];
  patches: AccountPatch[];
  transactions: TransactionRow[];
}

/**
 * Folds a batch in memory, per stream, into one final row per account plus the history rows,
 * so the database sees one multi-row statement per table instead of one per event. The events
 * arrive filtered by the runtime (contiguous versions per stream, in order).
 */
export function foldAccountEvents(events: readonly AccountEvent[]): FoldedBatch {
  const inserts = new Map<string, AccountInsert>();
  const patches = new Map<string, AccountPatch>();
  const transactions: TransactionRow[] = [];

  for (const event of events) {
    const id = event.streamId;
    const row: AccountInsert | AccountPatch | undefined = inserts.get(id) ?? patches.get(id);
    switch (event.type) {
      case 'AccountOpened':
        if (row !== undefined) break; // opened twice: the first one stands, as in `evolve`
        inserts.set(id, {
          accountId: id,
          ownerId: event.data.ownerId,
          currency: event.data.currency,
          balance: 0,
          status: 'open',
          version: event.streamVersion,
          openedAt: event.occurredAt,
          updatedAt: event.occurredAt,
        });
        break;
      case 'MoneyDeposited':
      case 'MoneyWithdrawn':
      case 'AccountDebitedForTransfer':
      case 'AccountCreditedForTransfer':
      case 'AccountRefundedForTransfer': {
        const target = row ?? newPatch(patches, id);
        target.balance = event.data.balanceAfter;
        target.version = event.streamVersion;
        target.updatedAt = event.occurredAt;
        transactions.push({
          accountId: id,
          version: event.streamVersion,
          type: TRANSACTION_TYPE[event.type],
          transferId: 'transferId' in event.data ? event.data.transferId : null,
          amount: event.data.amount,
          balanceAfter: event.data.balanceAfter,
          occurredAt: event.occurredAt,
        });
        break;
      }
      case 'AccountClosed': {
        const target = row ?? newPatch(patches, id);
        target.status = 'closed';
        target.version = event.streamVersion;
        target.updatedAt = event.occurredAt;
        break;
      }
      default:
        assertNever(event);
    }
  }
  return { inserts: [...inserts.values()], patches: [...patches.values()], transactions };
}

function newPatch(patches: Map<string, AccountPatch>, accountId: string): AccountPatch {
  const patch: AccountPatch = { accountId, balance: null, status: null, version: 0, updatedAt: '' };
  patches.set(accountId, patch);
  return patch;
}

function assertNever(value: never): never {
  throw new Error(`unhandled account event: ${JSON.stringify(value)}`);
}
