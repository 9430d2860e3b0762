import type { EventEnvelope } from '@cqrs/events';

/** What the runtime knows about a stream before a batch. */
export interface StreamState {
  version: number;
  /** The version that could not be applied while the stream is parked; null when flowing. */
  parkedAt: number | null;
}

/** One message of a batch, decoded once (retries reuse the result). */
export type DecodedMessage<E extends EventEnvelope> =
  | { readonly kind: 'event'; readonly offset: string; readonly event: E }
  | {
      readonly kind: 'poison';
      readonly offset: string;
      /** An EventParseErrorCode, or HANDLER_FAILED / EVENT_EMPTY from the runtime. */
      readonly error: { readonly code: string; readonly message: string };
      /** From the message key / headers: the stream to park, when it can be told. */
      readonly streamId: string | undefined;
      readonly streamVersion: number | undefined;
    };

export interface PlannedDeadLetter {
  readonly offset: string;
  readonly code: string;
  readonly reason: string;
  readonly streamId: string | undefined;
  readonly streamVersion: number | undefined;
}

export interface PlannedParking {
  readonly offset: string;
  readonly streamId: string;
  readonly streamVersion: number;
}

export interface BatchPlan<E extends EventEnvelope> {
  /** Events to apply, in offset order: per stream contiguous and following the stored version. */
  readonly apply: E[];
  readonly deadLetters: PlannedDeadLetter[];
  readonly parked: PlannedParking[];
  /** Redeliveries of versions already applied: skipped, they change nothing. */
  skipped: number;
  /** New state of every stream the batch touched. */
  readonly streams: Map<string, StreamState>;
}

/**
 * Decides, without I/O, what a batch does. Per stream the rule is "apply only version
 * current + 1": older versions are redeliveries and are skipped.
 *
 * Poison policy: PARK. A poison event (undecodable, unknown type/version, invalid payload, or a
 * handler that fails deterministically) goes to the dead letters and parks its stream at that
 * version; later events of the same stream are stored in projector_parked instead of being
 * applied over a hole, and the replay command applies them once the poison is fixed. Other
 * streams go on. A version gap with no poison (should not happen with per-key ordering) parks
 * the stream the same way, without a dead letter, so it is visible rather than silently wrong.
 */
export function planBatch<E extends EventEnvelope>(
  messages: readonly DecodedMessage<E>[],
  stored: ReadonlyMap<string, StreamState>,
): BatchPlan<E> {
  const streams = new Map<string, StreamState>();
  const stateOf = (streamId: string): StreamState => {
    let state = streams.get(streamId);
    if (state === undefined) {
      const before = stored.get(streamId);
      state = before === undefined ? { version: 0, parkedAt: null } : { ...before };
      streams.set(streamId, state);
    }
    return state;
  };
  const plan: BatchPlan<E> = { apply: [], deadLetters: [], parked: [], skipped: 0, streams };

  for (const message of messages) {
    if (message.kind === 'poison') {
      const { streamId, streamVersion } = message;
      plan.deadLetters.push({
        offset: message.offset,
        code: message.error.code,
        reason: message.error.message,
        streamId,
        streamVersion,
      });
      if (streamId === undefined) continue;
      const state = stateOf(streamId);
      // A garbled copy of a version already applied is dead-lettered but blocks nothing.
      if (streamVersion !== undefined && streamVersion <= state.version) continue;
      state.parkedAt ??= streamVersion ?? state.version + 1;
      continue;
    }
    const { streamId, streamVersion } = message.event;
    const state = stateOf(streamId);
    if (streamVersion <= state.version) {
      plan.skipped += 1;
    } else if (state.parkedAt === null && streamVersion === state.version + 1) {
      plan.apply.push(message.event);
      state.version = streamVersion;
    } else {
      state.parkedAt ??= state.version + 1;
      plan.parked.push({ offset: message.offset, streamId, streamVersion });
    }
  }
  return plan;
}
