import { isTransientError } from '@cqrs/projections';

describe('isTransientError', () => {
  it.each([
    [{ code: '40001' }],
    [{ code: '40P01' }],
    [{ code: '08006' }],
    [{ code: 'ECONNRESET' }],
    [{ name: 'KafkaJSConnectionError', retriable: false }],
    [new Error('Connection terminated unexpectedly')],
  ])('retries %p', (error) => expect(isTransientError(error)).toBe(true));

  it.each([[{ code: '22P02' }], [{ code: '23505' }], [new Error('handler bug')], ['text'], [null]])(
    'treats %p as deterministic',
    (error) => expect(isTransientError(error)).toBe(false),
  );
});
