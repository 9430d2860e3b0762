import {
  bodyIssues,
  CommandHeadersSchema,
  idempotencyKeyRequired,
  ifMatchVersion,
  issuesAt,
  validationProblem,
} from '@cqrs/platform';
import { PageParamsSchema, PageQuerySchema } from '@cqrs/context';
import { z } from 'zod';

describe('request headers', () => {
  it('given If-Match, when reading its version, then strong and weak ETags of a version count', () => {
    expect(ifMatchVersion('"3"')).toBe(3);
    expect(ifMatchVersion('W/"12"')).toBe(12);
    expect(ifMatchVersion('"0"')).toBeUndefined();
    expect(ifMatchVersion('3')).toBeUndefined();
  });

  it('given bad contract headers, when validated, then each is named in lower case', () => {
    const result = CommandHeadersSchema.safeParse({ 'if-match': '3', 'idempotency-key': ' ' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(issuesAt('header', result.error)).toEqual([
      { header: 'if-match', message: 'must be a quoted version, e.g. "3"' },
      { header: 'idempotency-key', message: 'must be 1-200 visible ASCII characters' },
    ]);
  });
});

describe('paging', () => {
  it('given no limit, when the pager reads the query, then it defaults to 20', () => {
    expect(PageParamsSchema.parse({})).toEqual({ limit: 20 });
    expect(PageParamsSchema.parse({ limit: '100', cursor: 'abc' })).toEqual({
      limit: 100,
      cursor: 'abc',
    });
  });

  it.each(['0', '101', '-1', '2.5', 'ten', ''])(
    'given limit=%p, then both forms refuse it',
    (limit) => {
      expect(PageQuerySchema.safeParse({ limit }).success).toBe(false);
      expect(PageParamsSchema.safeParse({ limit }).success).toBe(false);
    },
  );
});

describe('validation problems', () => {
  it('given body issues, when reported, then each has a JSON pointer', () => {
    const body = z.strictObject({ amount: z.int().positive() }).safeParse({ amount: 0, x: 1 });
    if (body.success) throw new Error('expected a failure');
    const problem = validationProblem(bodyIssues(body.error));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(problem['errors']).toEqual([
      { pointer: '/amount', message: expect.any(String) },
      { pointer: '/x', message: 'unknown field' },
    ]);
  });

  it('given unknown query parameters, when reported, then they are named as such', () => {
    const query = z.strictObject({}).safeParse({ a: 1, b: 2 });
    if (query.success) throw new Error('expected a failure');
    expect(issuesAt('query', query.error)).toEqual([
      { query: 'a, b', message: 'unknown parameter' },
    ]);
  });

  it('given a money-moving command without a key, then its own code names the header', () => {
    expect(idempotencyKeyRequired()).toMatchObject({
      status: 400,
      code: 'IDEMPOTENCY_KEY_REQUIRED',
      errors: [{ header: 'idempotency-key', message: 'required on this route' }],
    });
  });
});
