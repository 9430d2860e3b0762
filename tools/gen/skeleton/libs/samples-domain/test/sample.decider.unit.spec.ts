import type { SampleEventPayload } from '@cqrs/events';
import { given } from './given-when-then';

const sampleId = '6a1f0c8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const created: SampleEventPayload = {
  type: 'SampleCreated',
  data: { sampleId, ownerId: 'alice', title: 'First' },
};

describe('sample decider', () => {
  it('given nothing, when alice creates one sample, then it is created for her', () => {
    given([])
      .when({ type: 'CreateSample', sampleId, actorId: 'alice', ownerId: 'alice', title: 'First' })
      .then([
        {
          type: 'SampleCreated',
          schemaVersion: 1,
          data: { sampleId, ownerId: 'alice', title: 'First' },
        },
      ]);
  });

  it('given a created sample, when it is created again, then SAMPLE_ALREADY_EXISTS', () => {
    given([created])
      .when({ type: 'CreateSample', sampleId, actorId: 'alice', ownerId: 'alice', title: 'Again' })
      .then('SAMPLE_ALREADY_EXISTS');
  });

  it('given nothing, when one sample with an empty title is created, then SAMPLE_INVALID_TITLE', () => {
    given([])
      .when({ type: 'CreateSample', sampleId, actorId: 'alice', ownerId: 'alice', title: '' })
      .then('SAMPLE_INVALID_TITLE');
  });

  it('given her sample, when alice renames it, then it is renamed', () => {
    given([created])
      .when({ type: 'RenameSample', sampleId, actorId: 'alice', title: 'Second' })
      .then([{ type: 'SampleRenamed', schemaVersion: 1, data: { sampleId, title: 'Second' } }]);
  });

  it("given alice's sample, when bob renames it, then SAMPLE_NOT_FOUND (no existence leak)", () => {
    given([created])
      .when({ type: 'RenameSample', sampleId, actorId: 'bob', title: 'Mine' })
      .then('SAMPLE_NOT_FOUND');
  });

  it('given nothing, when one sample is renamed, then SAMPLE_NOT_FOUND', () => {
    given([])
      .when({ type: 'RenameSample', sampleId, actorId: 'alice', title: 'Second' })
      .then('SAMPLE_NOT_FOUND');
  });
});
