import type { TransferEventPayload } from '@cqrs/events';
import type { RequestTransfer } from '@cqrs/transfers-domain';
import { given } from './given-when-then';

const transferId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const fromAccountId = '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11';
const toAccountId = '5c2e7a10-3f4b-4d8e-9a1c-2b3d4e5f6a7b';

const request = (overrides: Partial<RequestTransfer> = {}): RequestTransfer => ({
  type: 'RequestTransfer',
  transferId,
  actorId: 'alice',
  fromAccountId,
  toAccountId,
  amount: 2500,
  source: { ownerId: 'alice', currency: 'EUR' },
  ...overrides,
});

const requested: TransferEventPayload = {
  type: 'TransferRequested',
  data: {
    transferId,
    fromAccountId,
    toAccountId,
    amount: 2500,
    currency: 'EUR',
    requestedBy: 'alice',
  },
};
const completed: TransferEventPayload = { type: 'TransferCompleted', data: { transferId } };
const failed: TransferEventPayload = {
  type: 'TransferFailed',
  data: { transferId, failureCode: 'ACCOUNT_INSUFFICIENT_FUNDS' },
};

describe('transfer decider: RequestTransfer', () => {
  it('given nothing, when alice requests a transfer from her account, then it is requested in the currency of the source', () => {
    given([])
      .when(request({ source: { ownerId: 'alice', currency: 'CHF' } }))
      .then([
        {
          type: 'TransferRequested',
          schemaVersion: 1,
          data: {
            transferId,
            fromAccountId,
            toAccountId,
            amount: 2500,
            currency: 'CHF',
            requestedBy: 'alice',
          },
        },
      ]);
  });

  it('given nothing, when the source and the destination are the same account, then TRANSFER_SAME_ACCOUNT', () => {
    given([])
      .when(request({ toAccountId: fromAccountId }))
      .then('TRANSFER_SAME_ACCOUNT');
  });

  it('given nothing, when the same account is named in two cases, then TRANSFER_SAME_ACCOUNT', () => {
    given([])
      .when(request({ toAccountId: fromAccountId.toUpperCase() }))
      .then('TRANSFER_SAME_ACCOUNT');
  });

  it('given nothing, when the same account is named and it is not hers, then TRANSFER_SAME_ACCOUNT (the body alone says so)', () => {
    given([])
      .when(request({ toAccountId: fromAccountId, source: undefined }))
      .then('TRANSFER_SAME_ACCOUNT');
  });

  it('given nothing, when the source account does not exist, then ACCOUNT_NOT_FOUND', () => {
    given([])
      .when(request({ source: undefined }))
      .then('ACCOUNT_NOT_FOUND');
  });

  it("given nothing, when alice names bob's account as the source, then ACCOUNT_NOT_FOUND (no existence leak)", () => {
    given([])
      .when(request({ source: { ownerId: 'bob', currency: 'EUR' } }))
      .then('ACCOUNT_NOT_FOUND');
  });

  it.each([0, -1, 1.5, 1_000_000_001, Number.NaN])(
    'given nothing, when the amount is %p, then TRANSFER_INVALID_AMOUNT',
    (amount) => {
      given([]).when(request({ amount })).then('TRANSFER_INVALID_AMOUNT');
    },
  );

  it.each([1, 1_000_000_000])(
    'given nothing, when the amount is the limit %p, then it is requested',
    (amount) => {
      given([])
        .when(request({ amount }))
        .then([
          {
            type: 'TransferRequested',
            schemaVersion: 1,
            data: {
              transferId,
              fromAccountId,
              toAccountId,
              amount,
              currency: 'EUR',
              requestedBy: 'alice',
            },
          },
        ]);
    },
  );

  it('given nothing, when an account id is not a UUID, then TRANSFER_INVALID_ACCOUNT_ID', () => {
    given([])
      .when(request({ toAccountId: 'nope' }))
      .then('TRANSFER_INVALID_ACCOUNT_ID');
  });

  it.each([
    ['pending', [requested]],
    ['completed', [requested, completed]],
    ['failed', [requested, failed]],
  ])(
    'given a %s transfer, when it is requested again, then TRANSFER_ALREADY_EXISTS',
    (_, history) => {
      given(history).when(request()).then('TRANSFER_ALREADY_EXISTS');
    },
  );
});

describe('transfer decider: CompleteTransfer', () => {
  it('given a pending transfer, when it completes, then TransferCompleted', () => {
    given([requested])
      .when({ type: 'CompleteTransfer', transferId })
      .then([{ type: 'TransferCompleted', schemaVersion: 1, data: { transferId } }]);
  });

  it('given a completed transfer, when it completes again (redelivery), then accepted with no events', () => {
    given([requested, completed]).when({ type: 'CompleteTransfer', transferId }).then([]);
  });

  it('given a failed transfer, when it completes, then TRANSFER_ALREADY_FAILED', () => {
    given([requested, failed])
      .when({ type: 'CompleteTransfer', transferId })
      .then('TRANSFER_ALREADY_FAILED');
  });

  it('given nothing, when a transfer completes, then TRANSFER_NOT_FOUND', () => {
    given([]).when({ type: 'CompleteTransfer', transferId }).then('TRANSFER_NOT_FOUND');
  });
});

describe('transfer decider: FailTransfer', () => {
  it('given a pending transfer, when it fails, then TransferFailed with the code', () => {
    given([requested])
      .when({ type: 'FailTransfer', transferId, failureCode: 'TRANSFER_DESTINATION_UNAVAILABLE' })
      .then([
        {
          type: 'TransferFailed',
          schemaVersion: 1,
          data: { transferId, failureCode: 'TRANSFER_DESTINATION_UNAVAILABLE' },
        },
      ]);
  });

  it('given a failed transfer, when it fails again with the same code (redelivery), then accepted with no events', () => {
    given([requested, failed])
      .when({ type: 'FailTransfer', transferId, failureCode: 'ACCOUNT_INSUFFICIENT_FUNDS' })
      .then([]);
  });

  it('given a failed transfer, when it fails again with another code, then TRANSFER_ALREADY_FAILED', () => {
    given([requested, failed])
      .when({ type: 'FailTransfer', transferId, failureCode: 'ACCOUNT_CLOSED' })
      .then('TRANSFER_ALREADY_FAILED');
  });

  it('given a completed transfer, when it fails, then TRANSFER_ALREADY_COMPLETED', () => {
    given([requested, completed])
      .when({ type: 'FailTransfer', transferId, failureCode: 'TRANSFER_CURRENCY_MISMATCH' })
      .then('TRANSFER_ALREADY_COMPLETED');
  });

  it('given nothing, when a transfer fails, then TRANSFER_NOT_FOUND', () => {
    given([])
      .when({ type: 'FailTransfer', transferId, failureCode: 'ACCOUNT_CLOSED' })
      .then('TRANSFER_NOT_FOUND');
  });

  it('given a pending transfer, when it fails with a code outside the list, then TRANSFER_INVALID_FAILURE_CODE', () => {
    const failureCode = 'SOMETHING_ELSE' as 'ACCOUNT_CLOSED';
    given([requested])
      .when({ type: 'FailTransfer', transferId, failureCode })
      .then('TRANSFER_INVALID_FAILURE_CODE');
  });
});

describe('transfer evolve', () => {
  it('ignores a verdict that cannot follow the state (a second verdict, or one before the request)', () => {
    given([completed, requested, failed, completed])
      .when({ type: 'FailTransfer', transferId, failureCode: 'ACCOUNT_INSUFFICIENT_FUNDS' })
      .then([]);
  });
});
