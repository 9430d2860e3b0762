/**
 * Commands are plain data, discriminated by `type`. `actorId` is the authenticated subject
 * (the token's `sub`), set by the HTTP layer, never taken from a request body.
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

export type AccountCommand = OpenAccount | DepositMoney | WithdrawMoney | CloseAccount;
export type AccountCommandType = AccountCommand['type'];
