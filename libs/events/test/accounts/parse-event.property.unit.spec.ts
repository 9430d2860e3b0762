import { accountEventRegistry } from '@cqrs/events';
import fc from 'fast-check';
import { accountId, rawEnvelope } from './account-event.fixtures';

const envelopeLike = fc.record({
  type: fc.constantFrom('AccountOpened', 'MoneyDeposited', 'AccountClosed', 'Nope'),
  schemaVersion: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.anything()),
  data: fc.oneof(
    fc.anything(),
    fc.dictionary(fc.string(), fc.anything()),
    fc.constant({ accountId }),
  ),
});

describe('parseEvent (properties)', () => {
  it('given anything at all, when parsed, then it never throws and returns a result', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true }),
        (input) => {
          const result = accountEventRegistry.parseEvent(input);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('given near-valid envelopes, when parsed, then it never throws and failures carry a code', () => {
    fc.assert(
      fc.property(envelopeLike, ({ type, schemaVersion, data }) => {
        const result = accountEventRegistry.parseEvent(
          rawEnvelope(type, 1, data, { schemaVersion }),
        );
        if (!result.ok) expect(result.error.code).toMatch(/^EVENT_[A-Z_]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it('given any string or bytes, when parsed as JSON, then it never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.uint8Array()), (raw) => {
        const result = accountEventRegistry.parseEventJson(raw);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('given an envelope whose getter throws, when parsed, then the error is returned', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    const result = accountEventRegistry.parseEvent(hostile);
    expect(result.ok).toBe(false);
  });
});
