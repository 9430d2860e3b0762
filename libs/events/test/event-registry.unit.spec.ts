import { createEventRegistry, defineEvent, legacyVersion } from '@cqrs/events';
import { z } from 'zod';

// A made-up second bounded context: the registry is not tied to accounts.
const CardIssuedV1 = z.strictObject({ cardId: z.string() });
const CardIssuedV2 = z.strictObject({ cardId: z.string(), brand: z.string() });
const CardIssuedV3 = z.strictObject({ cardId: z.string(), brand: z.enum(['visa', 'other']) });

const cards = createEventRegistry([
  defineEvent({
    type: 'CardIssued',
    schemaVersion: 3,
    schema: CardIssuedV3,
    legacy: [
      legacyVersion(1, CardIssuedV1, (data) => ({ ...data, brand: 'VISA' })),
      legacyVersion(2, CardIssuedV2, (data) => ({ ...data, brand: data.brand.toLowerCase() })),
    ],
  }),
  defineEvent({
    type: 'CardBlocked',
    schemaVersion: 1,
    schema: z.strictObject({ cardId: z.string() }),
  }),
]);

const envelope = (type: string, schemaVersion: number, data: unknown) => ({
  eventId: '9b2f3c1e-4a5d-4e6f-8a7b-0c1d2e3f4a5b',
  type,
  schemaVersion,
  streamId: 'card-1',
  streamVersion: 3,
  occurredAt: '2025-01-01T00:00:00+01:00',
  data,
  metadata: { correlationId: 'c', causationId: 'c', actorId: 'a' },
});

describe('createEventRegistry', () => {
  it('given another context, when its v1 event is parsed, then upcasters chain to the latest', () => {
    const result = cards.parseEvent(envelope('CardIssued', 1, { cardId: 'c1' }));
    expect(result).toMatchObject({
      ok: true,
      event: { schemaVersion: 3, data: { cardId: 'c1', brand: 'visa' } },
    });
  });

  it('given the registry, when asked for latest versions, then it answers per type', () => {
    expect(cards.latestVersion('CardIssued')).toBe(3);
    expect(cards.latestVersion('Unknown')).toBeUndefined();
    expect(cards.types).toEqual(['CardIssued', 'CardBlocked']);
  });

  it('given an upcaster that throws, when parsing, then the code is EVENT_INVALID_PAYLOAD', () => {
    const failing = createEventRegistry([
      defineEvent({
        type: 'X',
        schemaVersion: 2,
        schema: z.strictObject({}),
        legacy: [
          legacyVersion(1, z.strictObject({}), () => {
            throw new Error('bug');
          }),
        ],
      }),
    ]);
    const result = failing.parseEvent(envelope('X', 1, {}));
    expect(result).toMatchObject({ ok: false, error: { code: 'EVENT_INVALID_PAYLOAD' } });
  });

  it('given a gap in legacy versions, when creating the registry, then it fails fast', () => {
    const schema = z.strictObject({});
    expect(() =>
      createEventRegistry([
        defineEvent({
          type: 'X',
          schemaVersion: 3,
          schema,
          legacy: [legacyVersion(1, schema, (d) => d)],
        }),
      ]),
    ).toThrow(/lacks version 2/);
  });

  it('given a type registered twice, when creating the registry, then it fails fast', () => {
    const definition = defineEvent({ type: 'X', schemaVersion: 1, schema: z.strictObject({}) });
    expect(() => createEventRegistry([definition, definition])).toThrow(/registered twice/);
  });
});
