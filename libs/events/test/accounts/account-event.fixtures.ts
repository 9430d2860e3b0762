import { randomUUID } from 'node:crypto';

/** A valid raw envelope (as JSON would carry it) with the given type, version and data. */
export function rawEnvelope(
  type: string,
  schemaVersion: number,
  data: unknown,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion,
    streamId: `account-${randomUUID()}`,
    streamVersion: 1,
    occurredAt: '2025-01-02T03:04:05.678Z',
    data,
    metadata: { correlationId: 'corr-1', causationId: 'cause-1', actorId: 'user-1' },
    ...overrides,
  };
}

export const accountId = '0f8fad5b-d9cb-469f-a165-70867728950e';
