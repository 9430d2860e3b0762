import { SampleTitleSchema } from '@cqrs/events';
import type { CreateSample, RenameSample, SampleCommand } from './sample.commands';
import { accept, reject, type SampleDecision } from './sample.decision';
import { assertNever, type SampleState } from './sample.state';

/**
 * Pure business rules of one sample: given the current state, what happens when `command`
 * arrives. Input limits are re-checked here even though the HTTP layer validates bodies: the
 * decider is the last point before events become permanent facts.
 */
export function decide(command: SampleCommand, state: SampleState): SampleDecision {
  switch (command.type) {
    case 'CreateSample':
      return create(command, state);
    case 'RenameSample':
      return rename(command, state);
    // gen:decide-cases (pnpm gen command adds a case here)
    default:
      return assertNever(command);
  }
}

function create(command: CreateSample, state: SampleState): SampleDecision {
  if (!SampleTitleSchema.safeParse(command.title).success) {
    return reject('SAMPLE_INVALID_TITLE', 'title must be 1 to 200 characters');
  }
  if (state.status !== 'none') {
    return reject('SAMPLE_ALREADY_EXISTS', `sample ${command.sampleId} already exists`);
  }
  const { sampleId, ownerId, title } = command;
  return accept({ type: 'SampleCreated', schemaVersion: 1, data: { sampleId, ownerId, title } });
}

function rename(command: RenameSample, state: SampleState): SampleDecision {
  if (!SampleTitleSchema.safeParse(command.title).success) {
    return reject('SAMPLE_INVALID_TITLE', 'title must be 1 to 200 characters');
  }
  // Someone else's sample answers exactly like a missing one (no existence leak).
  if (state.status === 'none' || state.ownerId !== command.actorId) {
    return reject('SAMPLE_NOT_FOUND', `sample ${command.sampleId} not found`);
  }
  return accept({
    type: 'SampleRenamed',
    schemaVersion: 1,
    data: { sampleId: state.sampleId, title: command.title },
  });
}
