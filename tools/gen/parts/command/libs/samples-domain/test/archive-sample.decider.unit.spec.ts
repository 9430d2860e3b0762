import type { SampleEventPayload } from '@cqrs/events';
import { given } from './given-when-then';

const sampleId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const created: SampleEventPayload = {
  type: 'SampleCreated',
  data: { sampleId, ownerId: 'alice', title: 'First' },
};

describe('sample decider: ArchiveSample', () => {
  it('given her sample, when alice sends ArchiveSample, then SampleArchived is recorded', () => {
    given([created])
      .when({ type: 'ArchiveSample', sampleId, actorId: 'alice', note: 'Why' })
      .then([{ type: 'SampleArchived', schemaVersion: 1, data: { sampleId, note: 'Why' } }]);
  });

  it("given alice's sample, when bob sends ArchiveSample, then SAMPLE_NOT_FOUND (no existence leak)", () => {
    given([created])
      .when({ type: 'ArchiveSample', sampleId, actorId: 'bob', note: 'Mine' })
      .then('SAMPLE_NOT_FOUND');
  });

  it('given nothing, when ArchiveSample is sent, then SAMPLE_NOT_FOUND', () => {
    given([])
      .when({ type: 'ArchiveSample', sampleId, actorId: 'alice', note: 'Why' })
      .then('SAMPLE_NOT_FOUND');
  });
});
