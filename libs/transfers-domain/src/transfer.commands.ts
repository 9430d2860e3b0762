/**
 * Commands are plain data, discriminated by `type`. `actorId` is the authenticated subject
 * (the token's `sub`), set by the HTTP layer, never taken from a request body.
 */
interface TransferCommandBase {
  readonly transferId: string;
  readonly actorId: string;
}

export interface CreateTransfer extends TransferCommandBase {
  readonly type: 'CreateTransfer';
  readonly ownerId: string;
  readonly title: string;
}

export interface RenameTransfer extends TransferCommandBase {
  readonly type: 'RenameTransfer';
  readonly title: string;
}

export type TransferCommand = CreateTransfer | RenameTransfer;
export type TransferCommandType = TransferCommand['type'];
