import type { ProcessDefinition, StepOutcome } from '@cqrs/process-manager';
import type { TransferEvent, TransferFailureCode } from '@cqrs/events';

/**
 * Where a transfer's process stands. Each phase is one command; `onOutcome` moves to the next
 * phase from the answer, so a process is a path through:
 *
 *   debit -> credit -> complete -> done
 *   debit (refused) -> fail -> done                       nothing moved
 *   debit -> credit (refused) -> refund -> fail -> done   the debit given back
 */
export type TransferPhase = 'debit' | 'credit' | 'refund' | 'complete' | 'fail' | 'done';

export interface TransferProcessState {
  readonly transferId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly amount: number;
  readonly currency: string;
  readonly phase: TransferPhase;
  /** Set when the transfer will end failed: what the sender is told. */
  readonly failureCode?: TransferFailureCode;
}

/** The upstreams the process commands: the accounts' and its own context's command sides. */
export const TRANSFER_PROCESS_TARGETS = ['accounts', 'transfers'] as const;

/**
 * Answers that are no verdict: the stream was busy (409 CONCURRENCY_CONTENDED, sent with
 * Retry-After). Staying on the step makes the runtime retry it with backoff.
 */
const NOT_NOW = new Set(['CONCURRENCY_CONTENDED']);

/**
 * The transfer process: started by TransferRequested, it moves the money with the accounts'
 * internal commands and records the verdict with the transfer's own. Pure: the runtime stores
 * the state, sends `next(state)` under the key `<transferId>:<phase>` and calls `onOutcome`.
 */
export const transferProcess: ProcessDefinition<TransferProcessState, TransferEvent> = {
  name: 'transfer_process',
  start(event) {
    if (event.type !== 'TransferRequested') return undefined;
    const { transferId, fromAccountId, toAccountId, amount, currency } = event.data;
    return {
      processId: transferId,
      state: { transferId, fromAccountId, toAccountId, amount, currency, phase: 'debit' },
    };
  },
  next(state) {
    const { transferId, amount } = state;
    const account = (id: string, leg: string) =>
      `/internal/accounts/${encodeURIComponent(id)}/${leg}`;
    const transfer = (verdict: string) =>
      `/internal/transfers/${encodeURIComponent(transferId)}/${verdict}`;
    switch (state.phase) {
      case 'debit':
        return accountsCommand('debit', account(state.fromAccountId, 'transfer-debits'), {
          transferId,
          amount,
        });
      case 'credit':
        return accountsCommand('credit', account(state.toAccountId, 'transfer-credits'), {
          transferId,
          amount,
          currency: state.currency,
        });
      case 'refund':
        return accountsCommand('refund', account(state.fromAccountId, 'transfer-refunds'), {
          transferId,
          amount,
        });
      case 'complete':
        return transfersCommand('complete', transfer('complete'), {});
      case 'fail':
        return transfersCommand('fail', transfer('fail'), {
          failureCode: state.failureCode ?? 'ACCOUNT_CLOSED',
        });
      case 'done':
        return { done: true };
    }
  },
  onOutcome(state, step, outcome) {
    if (step !== state.phase) return state;
    if (outcome.kind === 'rejected' && NOT_NOW.has(outcome.code)) return state;
    switch (state.phase) {
      case 'debit':
        return outcome.kind === 'accepted'
          ? { ...state, phase: 'credit' }
          : { ...state, phase: 'fail', failureCode: debitRefusal(outcome) };
      case 'credit':
        return outcome.kind === 'accepted'
          ? { ...state, phase: 'complete' }
          : { ...state, phase: 'refund', failureCode: creditRefusal(outcome) };
      case 'refund':
        // A refund gives back a debit that happened; refused, it would lose money. Staying on
        // the step keeps the process retrying and visible as stuck, for an operator to see.
        return outcome.kind === 'accepted' ? { ...state, phase: 'fail' } : state;
      case 'complete':
      case 'fail':
        // A verdict the transfer already has (a redelivery after a lost answer) is as good.
        return { ...state, phase: 'done' };
      case 'done':
        return state;
    }
  },
};

function accountsCommand(step: string, path: string, body: unknown) {
  return { step, target: 'accounts', command: { method: 'POST' as const, path, body } };
}

function transfersCommand(step: string, path: string, body: unknown) {
  return { step, target: 'transfers', command: { method: 'POST' as const, path, body } };
}

/** Why the source could not be debited, as the sender may learn it. */
function debitRefusal(outcome: Extract<StepOutcome, { kind: 'rejected' }>): TransferFailureCode {
  return outcome.code === 'ACCOUNT_INSUFFICIENT_FUNDS'
    ? 'ACCOUNT_INSUFFICIENT_FUNDS'
    : 'ACCOUNT_CLOSED';
}

/**
 * Why the destination could not be credited. Unknown, closed or full all read the same to the
 * sender (the destination may be anyone's account: the sender learns no more than that).
 */
function creditRefusal(outcome: Extract<StepOutcome, { kind: 'rejected' }>): TransferFailureCode {
  return outcome.code === 'ACCOUNT_CURRENCY_MISMATCH'
    ? 'TRANSFER_CURRENCY_MISMATCH'
    : 'TRANSFER_DESTINATION_UNAVAILABLE';
}
