import { accountEventRegistry, type AccountEvent } from '@cqrs/events';
import { accountId, rawEnvelope } from './account-event.fixtures';

const { parseEvent, parseEventJson } = accountEventRegistry;
const transferId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function expectEvent(input: unknown): AccountEvent {
  const result = parseEvent(input);
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.event;
}

function expectErrorCode(result: ReturnType<typeof parseEvent>): string {
  if (result.ok) throw new Error('expected a parse error');
  return result.error.code;
}

describe('parseEvent', () => {
  describe('given a valid event of each latest type', () => {
    it.each([
      ['AccountOpened', 2, { accountId, ownerId: 'user-1', currency: 'EUR' }],
      ['MoneyDeposited', 1, { accountId, amount: 2500, balanceAfter: 2500 }],
      ['MoneyWithdrawn', 1, { accountId, amount: 1000, balanceAfter: 1500 }],
      ['AccountClosed', 1, { accountId }],
      ['AccountDebitedForTransfer', 1, { accountId, transferId, amount: 300, balanceAfter: 700 }],
      ['AccountCreditedForTransfer', 1, { accountId, transferId, amount: 300, balanceAfter: 300 }],
      ['AccountRefundedForTransfer', 1, { accountId, transferId, amount: 300, balanceAfter: 1000 }],
    ])('when %s v%i is parsed, then it is returned typed and unchanged', (type, version, data) => {
      const input = rawEnvelope(type, version, data);
      const event = expectEvent(input);
      expect(event).toEqual(input);
    });
  });

  it.each([
    ['a transferId that is not a UUID', { transferId: 'transfer-1' }, '/data/transferId'],
    ['no transferId', { transferId: undefined }, '/data/transferId'],
    ['a negative balance after', { balanceAfter: -1 }, '/data/balanceAfter'],
    ['a zero amount', { amount: 0 }, '/data/amount'],
  ])(
    'given a transfer leg with %s, when parsed, then the payload is invalid',
    (_what, bad, pointer) => {
      const data = { accountId, transferId, amount: 300, balanceAfter: 700, ...bad };
      const result = parseEvent(rawEnvelope('AccountDebitedForTransfer', 1, data));
      expect(expectErrorCode(result)).toBe('EVENT_INVALID_PAYLOAD');
      expect(!result.ok && result.error.issues).toEqual([expect.objectContaining({ pointer })]);
    },
  );

  it('given a MoneyDeposited, when parsed, then the type narrows the data', () => {
    const event = expectEvent(
      rawEnvelope('MoneyDeposited', 1, { accountId, amount: 5, balanceAfter: 7 }),
    );
    if (event.type !== 'MoneyDeposited') throw new Error('wrong type');
    const balance: number = event.data.balanceAfter;
    expect(balance).toBe(7);
  });

  it('given a legacy AccountOpened v1, when parsed, then it is upcast to v2 (owner -> ownerId)', () => {
    const event = expectEvent(
      rawEnvelope('AccountOpened', 1, { accountId, owner: 'alice', currency: 'USD' }),
    );
    expect(event.schemaVersion).toBe(2);
    expect(event.data).toEqual({ accountId, ownerId: 'alice', currency: 'USD' });
  });

  it('given a v1 AccountOpened whose owner breaks v2 rules, when parsed, then the payload is invalid', () => {
    const result = parseEvent(
      rawEnvelope('AccountOpened', 1, { accountId, owner: '', currency: 'USD' }),
    );
    expect(expectErrorCode(result)).toBe('EVENT_INVALID_PAYLOAD');
    expect(!result.ok && result.error.issues).toEqual([
      expect.objectContaining({ pointer: '/data/ownerId' }),
    ]);
  });

  describe('given an invalid envelope', () => {
    it.each([
      ['a missing eventId', { eventId: undefined }],
      ['a non-uuid eventId', { eventId: 'nope' }],
      ['schemaVersion 0', { schemaVersion: 0 }],
      ['a fractional streamVersion', { streamVersion: 1.5 }],
      ['a non ISO occurredAt', { occurredAt: 'yesterday' }],
      ['data as an array', { data: [] }],
      ['metadata without actorId', { metadata: { correlationId: 'c', causationId: 'c' } }],
    ])('when it has %s, then the code is EVENT_INVALID_ENVELOPE', (_label, overrides) => {
      const input = rawEnvelope('AccountClosed', 1, { accountId }, overrides);
      expect(expectErrorCode(parseEvent(input))).toBe('EVENT_INVALID_ENVELOPE');
    });

    it('when it is not an object, then the code is EVENT_INVALID_ENVELOPE with issues', () => {
      const result = parseEvent(42);
      expect(expectErrorCode(result)).toBe('EVENT_INVALID_ENVELOPE');
      expect(!result.ok && result.error.issues?.length).toBeGreaterThan(0);
    });
  });

  it('given an unknown type, when parsed, then the code is EVENT_UNKNOWN_TYPE', () => {
    expect(expectErrorCode(parseEvent(rawEnvelope('AccountFrozen', 1, { accountId })))).toBe(
      'EVENT_UNKNOWN_TYPE',
    );
  });

  it('given a version above the latest, when parsed, then the code is EVENT_UNKNOWN_VERSION', () => {
    const result = parseEvent(rawEnvelope('AccountClosed', 2, { accountId }));
    expect(expectErrorCode(result)).toBe('EVENT_UNKNOWN_VERSION');
  });

  describe('given invalid data', () => {
    it.each([
      ['an extra field', 'AccountClosed', 1, { accountId, extra: true }, '/data/extra'],
      [
        'a zero amount',
        'MoneyDeposited',
        1,
        { accountId, amount: 0, balanceAfter: 0 },
        '/data/amount',
      ],
      [
        'a negative balance',
        'MoneyWithdrawn',
        1,
        { accountId, amount: 1, balanceAfter: -1 },
        '/data/balanceAfter',
      ],
      [
        'an unsafe balance',
        'MoneyDeposited',
        1,
        { accountId, amount: 1, balanceAfter: 2 ** 53 },
        '/data/balanceAfter',
      ],
      [
        'a lower-case currency',
        'AccountOpened',
        2,
        { accountId, ownerId: 'u', currency: 'eur' },
        '/data/currency',
      ],
      [
        'the v1 field name in v2',
        'AccountOpened',
        2,
        { accountId, owner: 'u', currency: 'EUR' },
        '/data/owner',
      ],
    ])(
      'when it has %s, then the code is EVENT_INVALID_PAYLOAD',
      (_label, type, version, data, pointer) => {
        const result = parseEvent(rawEnvelope(type, version, data));
        expect(expectErrorCode(result)).toBe('EVENT_INVALID_PAYLOAD');
        expect(!result.ok && result.error.issues?.map((issue) => issue.pointer)).toContain(pointer);
      },
    );
  });
});

describe('parseEventJson', () => {
  it('given a valid JSON buffer, when parsed, then the event is returned', () => {
    const input = rawEnvelope('AccountClosed', 1, { accountId });
    const result = parseEventJson(Buffer.from(JSON.stringify(input)));
    expect(result).toEqual({ ok: true, event: input });
  });

  it.each([
    ['truncated JSON', '{"eventId":'],
    ['an empty string', ''],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
  ])('given %s, when parsed, then the code is EVENT_INVALID_JSON', (_label, raw) => {
    expect(expectErrorCode(parseEventJson(raw))).toBe('EVENT_INVALID_JSON');
  });

  it('given a JSON "__proto__" key in data, when parsed, then it is rejected as unknown field', () => {
    const json = JSON.stringify(rawEnvelope('AccountClosed', 1, { accountId })).replace(
      `"data":{`,
      `"data":{"__proto__":{"polluted":true},`,
    );
    const result = parseEventJson(json);
    expect(expectErrorCode(result)).toBe('EVENT_INVALID_PAYLOAD');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
