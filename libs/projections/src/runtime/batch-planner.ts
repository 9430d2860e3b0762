import type { EventEnvelope } from '@cqrs/events';

/** What the runtime knows about a stream before a batch. */
export interface StreamState {
  version: number;
  /** The version that could not be applied while the stream is parked; null when flowing. */
  parkedAt: number | null;
  /**
   * Parked only because a version was missing (no dead letter blocks it): the missing version
   * arriving unparks the stream. A poison-parked stream waits for the replay command.
   */
  gap?: boolean;
}

/** A parked event of a gap-parked stream, loaded back so the gap filling can release it. */
export interface ParkedEvent<E extends EventEnvelope> {
  readonly offset: string;
  readonly event: E;
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
  /** Previously parked events (from the table) applied now that their gap is filled. */
  readonly unparked: { streamId: string; streamVersion: number }[];
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
 * the stream the same way, without a dead letter, so it is visible rather than silently wrong;
 * when the missing version arrives it is applied, and the parked events after it follow in
 * version order as far as they are contiguous (`backlog`: the stored parked events of such
 * streams, loaded by the caller).
 */
export function planBatch<E extends EventEnvelope>(
  messages: readonly DecodedMessage<E>[],
  stored: ReadonlyMap<string, StreamState>,
  backlog: ReadonlyMap<string, readonly ParkedEvent<E>[]> = new Map(),
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
  const plan: BatchPlan<E> = {
    apply: [],
    deadLetters: [],
    parked: [],
    unparked: [],
    skipped: 0,
    streams,
  };
  /** This batch's parked events, by stream, so a later gap filler can release them too. */
  const parkedHere = new Map<string, ParkedEvent<E>[]>();

  /** Applies the parked events that now follow the stream's version, in version order. */
  const release = (streamId: string, state: StreamState): void => {
    const stored = (backlog.get(streamId) ?? []).map((p) => ({ ...p, fromTable: true }));
    const here = (parkedHere.get(streamId) ?? []).map((p) => ({ ...p, fromTable: false }));
    const waiting = [...stored, ...here].sort(
      (a, b) => a.event.streamVersion - b.event.streamVersion,
    );
    const released = new Set<string>();
    for (const { event, offset, fromTable } of waiting) {
      if (event.streamVersion > state.version + 1) {
        state.parkedAt = state.version + 1; // another hole: parked again, still a gap
        break;
      }
      if (event.streamVersion === state.version + 1) {
        plan.apply.push(event);
        state.version = event.streamVersion;
      }
      if (fromTable) plan.unparked.push({ streamId, streamVersion: event.streamVersion });
      else released.add(offset);
    }
    if (released.size > 0) {
      const kept = plan.parked.filter((p) => !released.has(p.offset));
      plan.parked.splice(0, plan.parked.length, ...kept);
      parkedHere.set(
        streamId,
        (parkedHere.get(streamId) ?? []).filter((p) => !released.has(p.offset)),
      );
    }
  };

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
      state.gap = false; // poison blocks it now: only the replay command unparks
      continue;
    }
    const { streamId, streamVersion } = message.event;
    const state = stateOf(streamId);
    const fillsGap = state.gap === true && state.parkedAt === streamVersion;
    if (streamVersion <= state.version) {
      plan.skipped += 1;
    } else if (streamVersion === state.version + 1 && (state.parkedAt === null || fillsGap)) {
      plan.apply.push(message.event);
      state.version = streamVersion;
      if (fillsGap) {
        state.parkedAt = null;
        state.gap = false;
        release(streamId, state);
        if (state.parkedAt !== null) state.gap = true;
      }
    } else {
      if (state.parkedAt === null) {
        state.parkedAt = state.version + 1;
        state.gap = true;
      }
      plan.parked.push({ offset: message.offset, streamId, streamVersion });
      const list = parkedHere.get(streamId) ?? [];
      list.push({ offset: message.offset, event: message.event });
      parkedHere.set(streamId, list);
    }
  }
  return plan;
}
