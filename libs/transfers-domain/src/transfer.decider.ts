import { TransferTitleSchema } from '@cqrs/events';
import type { CreateTransfer, RenameTransfer, TransferCommand } from './transfer.commands';
import { accept, reject, type TransferDecision } from './transfer.decision';
import { assertNever, type TransferState } from './transfer.state';

/**
 * Pure business rules of one transfer: given the current state, what happens when `command`
 * arrives. Input limits are re-checked here even though the HTTP layer validates bodies: the
 * decider is the last point before events become permanent facts.
 */
export function decide(command: TransferCommand, state: TransferState): TransferDecision {
  switch (command.type) {
    case 'CreateTransfer':
      return create(command, state);
    case 'RenameTransfer':
      return rename(command, state);
    // gen:decide-cases (pnpm gen command adds a case here)
    default:
      return assertNever(command);
  }
}

function create(command: CreateTransfer, state: TransferState): TransferDecision {
  if (!TransferTitleSchema.safeParse(command.title).success) {
    return reject('TRANSFER_INVALID_TITLE', 'title must be 1 to 200 characters');
  }
  if (state.status !== 'none') {
    return reject('TRANSFER_ALREADY_EXISTS', `transfer ${command.transferId} already exists`);
  }
  const { transferId, ownerId, title } = command;
  return accept({
    type: 'TransferCreated',
    schemaVersion: 1,
    data: { transferId, ownerId, title },
  });
}

function rename(command: RenameTransfer, state: TransferState): TransferDecision {
  if (!TransferTitleSchema.safeParse(command.title).success) {
    return reject('TRANSFER_INVALID_TITLE', 'title must be 1 to 200 characters');
  }
  // Someone else's transfer answers exactly like a missing one (no existence leak).
  if (state.status === 'none' || state.ownerId !== command.actorId) {
    return reject('TRANSFER_NOT_FOUND', `transfer ${command.transferId} not found`);
  }
  return accept({
    type: 'TransferRenamed',
    schemaVersion: 1,
    data: { transferId: state.transferId, title: command.title },
  });
}
