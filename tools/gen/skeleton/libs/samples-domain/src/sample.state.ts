import type { SampleEventPayload } from '@cqrs/events';

export interface ExistingSample {
  readonly status: 'created';
  readonly sampleId: string;
  readonly ownerId: string;
  readonly title: string;
  /** Number of events folded into this state, i.e. the stream version it reflects. */
  readonly version: number;
}

export type SampleState = { readonly status: 'none' } | ExistingSample;

export const initialState = (): SampleState => ({ status: 'none' });

/**
 * Folds one event into the state. Takes `{ type, data }` only, so the same function applies the
 * events `decide` just returned and the envelopes read back from the store or Kafka. Events are
 * facts and are never rejected here; one that cannot follow the current state is ignored.
 */
export function evolve(state: SampleState, event: SampleEventPayload): SampleState {
  switch (event.type) {
    case 'SampleCreated':
      if (state.status !== 'none') return state;
      return {
        status: 'created',
        sampleId: event.data.sampleId,
        ownerId: event.data.ownerId,
        title: event.data.title,
        version: 1,
      };
    case 'SampleRenamed':
      if (state.status === 'none') return state;
      return { ...state, title: event.data.title, version: state.version + 1 };
    // gen:evolve-cases (pnpm gen event adds a case here)
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
