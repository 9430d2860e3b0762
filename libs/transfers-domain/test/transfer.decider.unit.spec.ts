import type { TransferEventPayload } from '@cqrs/events';
import { given } from './given-when-then';

const transferId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const created: TransferEventPayload = {
  type: 'TransferCreated',
  data: { transferId, ownerId: 'alice', title: 'First' },
};

describe('transfer decider', () => {
  it('given nothing, when alice creates one transfer, then it is created for her', () => {
    given([])
      .when({
        type: 'CreateTransfer',
        transferId,
        actorId: 'alice',
        ownerId: 'alice',
        title: 'First',
      })
      .then([
        {
          type: 'TransferCreated',
          schemaVersion: 1,
          data: { transferId, ownerId: 'alice', title: 'First' },
        },
      ]);
  });

  it('given a created transfer, when it is created again, then TRANSFER_ALREADY_EXISTS', () => {
    given([created])
      .when({
        type: 'CreateTransfer',
        transferId,
        actorId: 'alice',
        ownerId: 'alice',
        title: 'Again',
      })
      .then('TRANSFER_ALREADY_EXISTS');
  });

  it('given nothing, when one transfer with an empty title is created, then TRANSFER_INVALID_TITLE', () => {
    given([])
      .when({ type: 'CreateTransfer', transferId, actorId: 'alice', ownerId: 'alice', title: '' })
      .then('TRANSFER_INVALID_TITLE');
  });

  it('given her transfer, when alice renames it, then it is renamed', () => {
    given([created])
      .when({ type: 'RenameTransfer', transferId, actorId: 'alice', title: 'Second' })
      .then([{ type: 'TransferRenamed', schemaVersion: 1, data: { transferId, title: 'Second' } }]);
  });

  it("given alice's transfer, when bob renames it, then TRANSFER_NOT_FOUND (no existence leak)", () => {
    given([created])
      .when({ type: 'RenameTransfer', transferId, actorId: 'bob', title: 'Mine' })
      .then('TRANSFER_NOT_FOUND');
  });

  it('given nothing, when one transfer is renamed, then TRANSFER_NOT_FOUND', () => {
    given([])
      .when({ type: 'RenameTransfer', transferId, actorId: 'alice', title: 'Second' })
      .then('TRANSFER_NOT_FOUND');
  });
});
