import { sampleEventRegistry } from '@cqrs/events';

/** The data of one SampleArchived v1 as it was stored before v2 (written by `pnpm gen event`). */
const v1Data = { sampleId: '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b', note: 'Stored' };

const storedV1 = {
  eventId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  streamId: '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b',
  streamVersion: 2,
  occurredAt: '2025-01-01T00:00:00Z',
  metadata: { correlationId: 'c', causationId: 'c', actorId: 'alice' },
  type: 'SampleArchived',
  schemaVersion: 1,
  data: v1Data,
};

describe('SampleArchived v1 -> v2', () => {
  it('given a stored v1 event, when it is read back, then it is upcast to the latest version with its data kept', () => {
    // v2 when written; a later version chains its upcaster behind this one.
    const latest = sampleEventRegistry.latestVersion('SampleArchived');
    expect(latest).toBeGreaterThan(storedV1.schemaVersion);
    expect(sampleEventRegistry.parseEvent(storedV1)).toEqual({
      ok: true,
      event: { ...storedV1, schemaVersion: latest, data: v1Data },
    });
  });

  it('given a stored v1 event with a field v1 never had, when it is read back, then it is refused', () => {
    const parsed = sampleEventRegistry.parseEvent({ ...storedV1, data: { ...v1Data, extra: 1 } });
    expect(parsed.ok).toBe(false);
  });
});
