import type { TransferFailureCode } from '@cqrs/events';

/**
 * Commands are plain data, discriminated by `type`. `actorId` is the authenticated subject
 * (the token's `sub`), set by the HTTP layer, never taken from a request body.
 */
interface TransferCommandBase {
  readonly transferId: string;
}

/** The source account as the accounts context answered for it just before deciding. */
export interface SourceAccount {
  readonly ownerId: string;
  readonly currency: string;
}

export interface RequestTransfer extends TransferCommandBase {
  readonly type: 'RequestTransfer';
  readonly actorId: string;
  readonly fromAccountId: string;
  readonly toAccountId: string;
  readonly amount: number;
  /**
   * Looked up before `decide` (the decider stays pure): undefined when the account does not
   * exist. Ownership is judged here, from it, so a stranger's account reads as a missing one.
   */
  readonly source: SourceAccount | undefined;
}

/** The process's verdict: both legs done. */
export interface CompleteTransfer extends TransferCommandBase {
  readonly type: 'CompleteTransfer';
}

/** The process's verdict: nothing moved in the end (refused, or the debit refunded). */
export interface FailTransfer extends TransferCommandBase {
  readonly type: 'FailTransfer';
  readonly failureCode: TransferFailureCode;
}

export type TransferCommand = RequestTransfer | CompleteTransfer | FailTransfer;
export type TransferCommandType = TransferCommand['type'];
