import {
  decodeAccountsCursor,
  decodeCursor,
  decodeTransactionsCursor,
  encodeAccountsCursor,
  encodeTransactionsCursor,
} from '../src/shared/cursor';
import {
  accountIdOrFail,
  PageQuerySchema,
  parseOrFail,
  PositionQuerySchema,
} from '../src/shared/query-params';
import { QueryError } from '../src/shared/query.errors';

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
});

describe('query parameters', () => {
  it('default the limit to 20 and accept 1..100', () => {
    expect(parseOrFail(PageQuerySchema, {}, 'query')).toEqual({ limit: 20 });
    expect(parseOrFail(PageQuerySchema, { limit: '1' }, 'query').limit).toBe(1);
    expect(parseOrFail(PageQuerySchema, { limit: '100', cursor: 'abc' }, 'query')).toEqual({
      limit: 100,
      cursor: 'abc',
    });
  });

  it.each(['0', '101', '-1', '2.5', 'ten', ''])(
    'refuse limit=%p with VALIDATION_FAILED',
    (limit) => {
      expect(() => parseOrFail(PageQuerySchema, { limit }, 'query')).toThrow(QueryError);
      try {
        parseOrFail(PageQuerySchema, { limit }, 'query');
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
