import type { EventEnvelope } from '@cqrs/events';
import type { ProcessDefinition } from '../definition/process-definition';

export interface LoadedProcess<S> {
  readonly processId: string;
  readonly state: S;
}

export interface ProcessFold<S> {
  /** New processes, to insert (a row that exists already wins: ON CONFLICT DO NOTHING). */
  started: LoadedProcess<S>[];
  /** Stored processes whose state an observed event changed, to update. */
  changed: LoadedProcess<S>[];
}

/**
 * Folds a batch of events into process starts and state changes, in event order, in memory
 * (pure: the projection writes the result with two bulk statements). `loaded` holds the stored
 * rows of every process an event is observed for; a start of one of those is a duplicate.
 * An event for a process that is neither stored nor started in the batch is ignored: it
 * concerns a process this definition never started.
 */
export function foldProcessEvents<S, E extends EventEnvelope>(
  definition: ProcessDefinition<S, E>,
  events: readonly E[],
  loaded: readonly LoadedProcess<S>[],
): ProcessFold<S> {
  const stored = new Map(loaded.map((p) => [p.processId, { state: p.state, changed: false }]));
  const fresh = new Map<string, S>();
  for (const event of events) {
    const start = definition.start(event);
    if (start !== undefined && !stored.has(start.processId) && !fresh.has(start.processId)) {
      fresh.set(start.processId, start.state);
    }
    const observe = definition.observe;
    const id = observe?.processIdOf(event);
    if (observe === undefined || id === undefined) continue;
    const known = stored.get(id);
    if (known !== undefined) {
      stored.set(id, { state: observe.apply(known.state, event), changed: true });
      continue;
    }
    const started = fresh.get(id);
    if (started !== undefined) fresh.set(id, observe.apply(started, event));
  }
  return {
    started: [...fresh].map(([processId, state]) => ({ processId, state })),
    changed: [...stored]
      .filter(([, p]) => p.changed)
      .map(([processId, p]) => ({ processId, state: p.state })),
  };
}
