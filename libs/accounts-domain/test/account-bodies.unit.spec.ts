import {
  AmountBodySchema,
  CloseBodySchema,
  OpenAccountBodySchema,
  toValidationIssues,
} from '@cqrs/accounts-domain';
import type { z } from 'zod';

const pointersOf = (schema: z.ZodType, body: unknown): string[] => {
  const result = schema.safeParse(body);
  return result.success ? [] : toValidationIssues(result.error).map((issue) => issue.pointer);
};

describe('AmountBodySchema', () => {
  it.each([1, 2500, 1_000_000_000])(
    'given amount %p, when validated, then it is accepted',
    (amount) => {
      expect(AmountBodySchema.parse({ amount })).toEqual({ amount });
    },
  );

  it.each([
    ['zero', { amount: 0 }],
    ['a negative amount', { amount: -5 }],
    ['a fraction', { amount: 10.5 }],
    ['a string', { amount: '100' }],
    ['too much', { amount: 1_000_000_001 }],
    ['nothing', {}],
  ])('given %s, when validated, then /amount is reported', (_label, body) => {
    expect(pointersOf(AmountBodySchema, body)).toEqual(['/amount']);
  });

  it('given an extra field, when validated, then the extra field is reported', () => {
    expect(pointersOf(AmountBodySchema, { amount: 1, currency: 'EUR' })).toEqual(['/currency']);
  });

  it('given a non-object body, when validated, then the root is reported', () => {
    expect(pointersOf(AmountBodySchema, [1])).toEqual(['']);
  });

  it('given a fraction, when validated, then the message explains minor units', () => {
    const result = AmountBodySchema.safeParse({ amount: 0.5 });
    expect(result.success ? [] : toValidationIssues(result.error)).toEqual([
      { pointer: '/amount', message: 'must be an integer number of minor units' },
    ]);
  });
});

describe('OpenAccountBodySchema', () => {
  it('given an ISO currency, when validated, then it is accepted', () => {
    expect(OpenAccountBodySchema.parse({ currency: 'EUR' })).toEqual({ currency: 'EUR' });
  });

  it.each([{ currency: 'eur' }, { currency: 'EURO' }, { currency: 978 }, {}])(
    'given %p, when validated, then /currency is reported',
    (body) => {
      expect(pointersOf(OpenAccountBodySchema, body)).toEqual(['/currency']);
    },
  );

  it('given an ownerId in the body, when validated, then it is refused (the owner is the token)', () => {
    expect(pointersOf(OpenAccountBodySchema, { currency: 'EUR', ownerId: 'x' })).toEqual([
      '/ownerId',
    ]);
  });
});

describe('CloseBodySchema', () => {
  it('given {}, when validated, then it is accepted', () => {
    expect(CloseBodySchema.parse({})).toEqual({});
  });

  it('given any field, when validated, then it is reported', () => {
    expect(pointersOf(CloseBodySchema, { force: true })).toEqual(['/force']);
  });
});
