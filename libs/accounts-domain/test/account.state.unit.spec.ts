import {
  accountErrorCodes,
  accountsContext,
  evolve,
  initialState,
  type AccountState,
} from '@cqrs/accounts-domain';
import { accountEventRegistry, type AccountEventPayload } from '@cqrs/events';

const accountId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const fold = (events: readonly AccountEventPayload[]): AccountState =>
  events.reduce(evolve, initialState());

describe('evolve', () => {
  it('given a full history, when folded, then status, balance and version follow the events', () => {
    expect(
      fold([
        { type: 'AccountOpened', data: { accountId, ownerId: 'alice', currency: 'EUR' } },
        { type: 'MoneyDeposited', data: { accountId, amount: 10, balanceAfter: 10 } },
        { type: 'MoneyWithdrawn', data: { accountId, amount: 10, balanceAfter: 0 } },
        { type: 'AccountClosed', data: { accountId } },
      ]),
    ).toEqual({
      status: 'closed',
      accountId,
      ownerId: 'alice',
      currency: 'EUR',
      balance: 0,
      version: 4,
    });
  });

  it('given money moved before any opening, when folded, then there is still no account', () => {
    expect(
      fold([{ type: 'MoneyDeposited', data: { accountId, amount: 1, balanceAfter: 1 } }]),
    ).toEqual({
      status: 'none',
    });
  });

  it('given a stored legacy v1 envelope, when parsed and folded, then it evolves like a v2 event', () => {
    const parsed = accountEventRegistry.parseEvent({
      eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      type: 'AccountOpened',
      schemaVersion: 1,
      streamId: accountId,
      streamVersion: 1,
      occurredAt: '2020-01-01T00:00:00Z',
      data: { accountId, owner: 'alice', currency: 'USD' },
      metadata: { correlationId: 'c', causationId: 'c', actorId: 'alice' },
    });
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(evolve(initialState(), parsed.event)).toMatchObject({
      status: 'open',
      ownerId: 'alice',
    });
  });
});

describe('accountsContext.errorStatus', () => {
  it('given the error codes, when mapped, then not-found is 404, conflict 409, rules 422', () => {
    expect(accountsContext.errorStatus.ACCOUNT_NOT_FOUND).toBe(404);
    expect(accountsContext.errorStatus.ACCOUNT_ALREADY_EXISTS).toBe(409);
    expect(accountsContext.errorStatus.ACCOUNT_INSUFFICIENT_FUNDS).toBe(422);
    expect(Object.keys(accountsContext.errorStatus).sort()).toEqual([...accountErrorCodes].sort());
  });
});
