/**
 * Commands are plain data, discriminated by `type`. `actorId` is the authenticated subject
 * (the token's `sub`), set by the HTTP layer, never taken from a request body; for the
 * transfer legs, which only the system sends, it is the system.
 */
interface AccountCommandBase {
  readonly accountId: string;
  readonly actorId: string;
}

export interface OpenAccount extends AccountCommandBase {
  readonly type: 'OpenAccount';
  readonly ownerId: string;
  readonly currency: string;
}

export interface DepositMoney extends AccountCommandBase {
  readonly type: 'DepositMoney';
  readonly amount: number;
}

export interface WithdrawMoney extends AccountCommandBase {
  readonly type: 'WithdrawMoney';
  readonly amount: number;
}

export interface CloseAccount extends AccountCommandBase {
  readonly type: 'CloseAccount';
}

/** Money out of the source account of a transfer (the transfer process sends it). */
export interface DebitForTransfer extends AccountCommandBase {
  readonly type: 'DebitForTransfer';
  readonly transferId: string;
  readonly amount: number;
}

/** Money into the destination account of a transfer, in the transfer's currency. */
export interface CreditForTransfer extends AccountCommandBase {
  readonly type: 'CreditForTransfer';
  readonly transferId: string;
  readonly amount: number;
  readonly currency: string;
}

/** A transfer's debit given back to its source, when the credit could not happen. */
export interface RefundForTransfer extends AccountCommandBase {
  readonly type: 'RefundForTransfer';
  readonly transferId: string;
  readonly amount: number;
}

export type AccountCommand =
  | OpenAccount
  | DepositMoney
  | WithdrawMoney
  | CloseAccount
  | DebitForTransfer
  | CreditForTransfer
  | RefundForTransfer;
export type AccountCommandType = AccountCommand['type'];
