import { accept, reject, type SampleDecision } from '../sample.decision';
import type { SampleState } from '../sample.state';
import type { ArchiveSample } from './archive-sample.command';

/**
 * The rule of ArchiveSample (written by `pnpm gen command`; `decide` dispatches here): the
 * owner of an existing sample may, and it records SampleArchived. Add the command's own rules.
 */
export function decideArchiveSample(command: ArchiveSample, state: SampleState): SampleDecision {
  // Someone else's sample answers exactly like a missing one (no existence leak).
  if (state.status === 'none' || state.ownerId !== command.actorId) {
    return reject('SAMPLE_NOT_FOUND', `sample ${command.sampleId} not found`);
  }
  return accept({
    type: 'SampleArchived',
    schemaVersion: 1,
    data: { sampleId: state.sampleId, note: command.note },
  });
}
