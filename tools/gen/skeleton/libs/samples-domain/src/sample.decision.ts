import type { NewSampleEvent } from '@cqrs/events';
import { sampleError, type SampleError } from './sample.errors';

/** What `decide` answers: the events to append, or the domain error that refuses the command. */
export type SampleDecision =
  | { readonly ok: true; readonly events: readonly NewSampleEvent[] }
  | { readonly ok: false; readonly error: SampleError };

export const accept = (...events: NewSampleEvent[]): SampleDecision => ({ ok: true, events });
export const reject = (...[code, message]: Parameters<typeof sampleError>): SampleDecision => ({
  ok: false,
  error: sampleError(code, message),
});
