import {
  decodeCursor,
  PageParamsSchema,
  parseOrFail,
  PositionQuerySchema,
  QueryError,
} from '@cqrs/projector-service';
import { accountIdOrFail } from '../src/shared/account-params';
import {
  decodeAccountsCursor,
  decodeTransactionsCursor,
  encodeAccountsCursor,
  encodeTransactionsCursor,
} from '../src/shared/cursor';

const ID = '0b9d1c9e-7a55-4c43-9d3f-4a8f0f0d6a11';

describe('cursors', () => {
  it('round-trip and stay opaque (base64url)', () => {
    const cursor = encodeAccountsCursor({ openedAt: '2025-01-01T00:00:00.123Z', accountId: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAccountsCursor(cursor)).toEqual({
      openedAt: '2025-01-01T00:00:00.123Z',
      accountId: ID,
    });
    expect(decodeTransactionsCursor(encodeTransactionsCursor(7))).toBe(7);
  });

  it.each(['', '!!!', 'bm90IGpzb24', Buffer.from('[1]').toString('base64url'), 'a'.repeat(600)])(
    'reject %p',
    (bad) => {
      expect(decodeAccountsCursor(bad)).toBeUndefined();
      expect(decodeTransactionsCursor(bad)).toBeUndefined();
    },
  );

  it('reject well-formed JSON of the wrong shape', () => {
    expect(decodeCursor(Buffer.from('{"v":1}').toString('base64url'))).toEqual({ v: 1 });
    expect(
      decodeAccountsCursor(Buffer.from('{"o":"x","a":"y"}').toString('base64url')),
    ).toBeUndefined();
    expect(decodeTransactionsCursor(Buffer.from('{"v":-1}').toString('base64url'))).toBeUndefined();
  });

  const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([2 ** 31, 2 ** 53, 1e300, -1, 1.5, '5', null, true, [1], { n: 1 }])(
    'reject a transactions cursor whose version is %p (outside a Postgres integer)',
    (v) => {
      expect(decodeTransactionsCursor(raw({ v }))).toBeUndefined();
    },
  );

  it('accept the whole integer range of a version', () => {
    expect(decodeTransactionsCursor(raw({ v: 0 }))).toBe(0);
    expect(decodeTransactionsCursor(raw({ v: 2 ** 31 - 1 }))).toBe(2 ** 31 - 1);
  });

  it.each([
    '2025-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-00-10T00:00:00Z',
    '2025-01-00T00:00:00Z',
    '2025-01-01T24:00:00Z',
    '2025-01-01T23:60:00Z',
    '2025-01-01T23:00:60Z',
    '0000-01-01T00:00:00Z',
    '2025-01-01T00:00:00.1234567Z',
    '2025-01-01T00:00:00+01:00',
  ])('reject an accounts cursor at the impossible instant %s', (o) => {
    expect(decodeAccountsCursor(raw({ o, a: ID }))).toBeUndefined();
  });

  it.each([1, null, ['x'], { o: 1 }])('reject an accounts cursor whose instant is %p', (o) => {
    expect(decodeAccountsCursor(raw({ o, a: ID }))).toBeUndefined();
  });

  it('accept real instants, leap days included', () => {
    for (const o of ['2024-02-29T23:59:59.999999Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z'])
      expect(decodeAccountsCursor(raw({ o, a: ID }))).toEqual({ openedAt: o, accountId: ID });
  });
});

describe('query parameters', () => {
  it('default the limit to 20 and accept 1..100', () => {
    expect(parseOrFail(PageParamsSchema, {}, 'query')).toEqual({ limit: 20 });
    expect(parseOrFail(PageParamsSchema, { limit: '1' }, 'query').limit).toBe(1);
    expect(parseOrFail(PageParamsSchema, { limit: '100', cursor: 'abc' }, 'query')).toEqual({
      limit: 100,
      cursor: 'abc',
    });
  });

  it.each(['0', '101', '-1', '2.5', 'ten', ''])(
    'refuse limit=%p with VALIDATION_FAILED',
    (limit) => {
      expect(() => parseOrFail(PageParamsSchema, { limit }, 'query')).toThrow(QueryError);
      try {
        parseOrFail(PageParamsSchema, { limit }, 'query');
      } catch (error) {
        expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
      }
    },
  );

  it('validate account ids and position waits', () => {
    expect(accountIdOrFail(ID.toUpperCase())).toBe(ID);
    expect(() => accountIdOrFail('nope')).toThrow(QueryError);
    expect(parseOrFail(PositionQuerySchema, { streamId: ID, version: '3' }, 'query')).toEqual({
      streamId: ID,
      version: 3,
    });
    expect(() => parseOrFail(PositionQuerySchema, { streamId: ID, version: '0' }, 'query')).toThrow(
      QueryError,
    );
  });
});
