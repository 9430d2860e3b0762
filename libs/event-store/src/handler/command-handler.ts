import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventPayload, NewEvent } from '@cqrs/events';
import type { IdempotencyRecord } from '../append/append.types';
import type { PgEventStore } from '../append/pg-event-store';
import type { Decider, EventDecoder } from './decider';
import { StateCache } from './state-cache';
import { StreamGate } from './stream-gate';

export interface CommandContext {
  streamId: string;
  metadata: EventMetadata;
  /** From If-Match: decide only if the stream is at this version. */
  ifVersion?: number;
  idempotency?: { scope: string; key: string; requestHash: string };
}

export type CommandOutcome<Error> =
  | { kind: 'accepted'; version: number; eventIds: string[] }
  | { kind: 'rejected'; error: Error; version: number }
  | { kind: 'precondition-failed'; version: number }
  /**
   * Too many commands on this stream at once: its wait line in this process was full, or
   * writers elsewhere won the race many times in a row. Nothing was stored; retry shortly.
   */
  | { kind: 'contended' };

/** What a replayed idempotent command answers: exactly what the first one answered. */
export interface StoredResponse {
  status: number;
  body: unknown;
  /** Extra response headers (e.g. Retry-After); only on answers that are never stored. */
  headers?: Record<string, string>;
}

export type HandleResult<Error> =
  | { kind: 'outcome'; outcome: CommandOutcome<Error>; response: StoredResponse }
  | { kind: 'replayed'; response: StoredResponse }
  | { kind: 'idempotency-key-reused' };

export interface CommandHandlerOptions<Command, State, Event extends NewEvent, Error> {
  store: PgEventStore;
  decider: Decider<Command, State, Event, Error>;
  decode: EventDecoder<Event>;
  /** The HTTP answer for an outcome; stored with the events when the command is keyed. */
  respond: (outcome: CommandOutcome<Error>, context: CommandContext) => StoredResponse;
  /** Errors that mean "no such stream for this caller"; they take precedence over If-Match. */
  isNotFound?: (error: Error) => boolean;
  cacheSize?: number;
  maxAttempts?: number;
  /** Commands admitted per stream at once in this process (running and waiting); default 64. */
  maxQueuedPerStream?: number;
  now?: () => Date;
}

/**
 * Load, decide, append: the generic command path. Without If-Match a lost race is resolved by
 * catching up and deciding again, so no concurrent writer is lost; with If-Match it is a
 * precondition failure. A keyed command's outcome (success or rejection) is stored in the same
 * transaction as its events, so a replay returns it and appends nothing.
 */
export class CommandHandler<Command, State, Event extends NewEvent, Error> {
  private readonly cache: StateCache<State>;
  private readonly gate: StreamGate;

  constructor(private readonly options: CommandHandlerOptions<Command, State, Event, Error>) {
    this.cache = new StateCache(options.cacheSize ?? 50_000);
    this.gate = new StreamGate(options.maxQueuedPerStream ?? 64);
  }

  /**
   * Throws only for failures of the store: AppendQueueFullError and AppendOutcomeUnknownError
   * (coded, mapped at the edge) or a plain database error (nothing stored).
   */
  async handle(command: Command, context: CommandContext): Promise<HandleResult<Error>> {
    const ran = await this.gate.run(context.streamId, () => this.decideAndAppend(command, context));
    return ran.admitted ? ran.value : this.contended(context);
  }

  private contended(context: CommandContext): HandleResult<Error> {
    const outcome: CommandOutcome<Error> = { kind: 'contended' };
    return { kind: 'outcome', outcome, response: this.options.respond(outcome, context) };
  }

  private async decideAndAppend(
    command: Command,
    context: CommandContext,
  ): Promise<HandleResult<Error>> {
    const { store } = this.options;
    // No lookup of the key first: the append stores the record and reports a taken key, and
    // only then is the stored outcome read. A replay costs one discarded append; every
    // first request saves a round trip.

    const maxAttempts = this.options.maxAttempts ?? 25;
    let fresh = false; // true once the state was caught up from the store in this call
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      let { state, version } = fresh
        ? this.cached(context.streamId)
        : await this.load(context.streamId);

      let outcome: CommandOutcome<Error> | undefined;
      let events: readonly Event[] = [];
      let decision = this.options.decider.decide(command, state);
      const mismatch = (): boolean =>
        context.ifVersion !== undefined && context.ifVersion !== version;
      if ((!decision.ok || mismatch()) && !fresh) {
        // A rejection or a precondition failure from possibly stale state is re-checked first.
        ({ state, version } = await this.catchUp(context.streamId));
        fresh = true;
        decision = this.options.decider.decide(command, state);
      }
      // "Not found" wins over a version mismatch: a precondition answer would leak existence.
      const notFound = !decision.ok && this.options.isNotFound?.(decision.error) === true;
      if (!decision.ok && notFound) outcome = { kind: 'rejected', error: decision.error, version };
      else if (mismatch()) outcome = { kind: 'precondition-failed', version };
      else if (!decision.ok) outcome = { kind: 'rejected', error: decision.error, version };
      else events = decision.events;

      const occurredAt = (this.options.now?.() ?? new Date()).toISOString();
      const pending = events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: context.metadata,
        occurredAt,
      }));
      outcome ??= {
        kind: 'accepted',
        version: version + events.length,
        eventIds: pending.map((e) => e.eventId),
      };
      const response = this.options.respond(outcome, context);
      // A "not found" is not stored under the key: nothing happened, and a record per guessed
      // id would let a caller fill the table (and burn its key on a typo).
      if (outcome.kind !== 'accepted' && (!context.idempotency || notFound))
        return { kind: 'outcome', outcome, response };

      const idempotency: IdempotencyRecord | undefined = context.idempotency && {
        ...context.idempotency,
        status: response.status,
        response: response.body,
      };
      const result = await store.append({
        streamId: context.streamId,
        expectedVersion: version,
        events: pending,
        idempotency,
      });
      if (result.ok) {
        if (outcome.kind === 'accepted') {
          // A new event is its own payload; TypeScript cannot see that through the generic.
          const next = events.reduce(
            (s, e) => this.options.decider.evolve(s, e as unknown as EventPayload<Event>),
            state,
          );
          this.cache.set(context.streamId, next, result.nextVersion);
        }
        return { kind: 'outcome', outcome, response };
      }
      if (result.reason === 'idempotency-key-taken')
        return (await this.storedOutcome(context)) ?? { kind: 'idempotency-key-reused' };
      // version-conflict: another writer got there first; catch up and decide again.
      // With If-Match the next attempt answers 412 (or 404) from the caught-up state.
      await this.catchUp(context.streamId);
      fresh = true;
    }
    return this.contended(context);
  }

  private async storedOutcome(context: CommandContext): Promise<HandleResult<Error> | undefined> {
    if (!context.idempotency) return undefined;
    const { scope, key, requestHash } = context.idempotency;
    const stored = await this.options.store.findIdempotencyRecord(scope, key);
    if (!stored) return undefined;
    if (stored.requestHash !== requestHash) return { kind: 'idempotency-key-reused' };
    return { kind: 'replayed', response: { status: stored.status, body: stored.response } };
  }

  private cached(streamId: string): { state: State; version: number } {
    return this.cache.get(streamId) ?? { state: this.options.decider.initialState(), version: 0 };
  }

  private async load(streamId: string): Promise<{ state: State; version: number }> {
    return this.cache.get(streamId) ?? this.catchUp(streamId);
  }

  /**
   * The stream's state as the store holds it now (the cached fold caught up), for reads that
   * must be exact. It leaves the cache alone: outside the stream's gate, writing it could race
   * a command's own update.
   */
  async current(streamId: string): Promise<{ state: State; version: number }> {
    return (await this.readAfterCache(streamId)).current;
  }

  /** Reads only the events after the cached version and folds them in. */
  private async catchUp(streamId: string): Promise<{ state: State; version: number }> {
    const { current, read } = await this.readAfterCache(streamId);
    if (read) this.cache.set(streamId, current.state, current.version);
    return current;
  }

  private async readAfterCache(
    streamId: string,
  ): Promise<{ current: { state: State; version: number }; read: boolean }> {
    const base = this.cached(streamId);
    const stored = await this.options.store.readStream(streamId, base.version + 1);
    if (stored.length === 0) return { current: base, read: false };
    const state = stored.reduce(
      (s, e) => this.options.decider.evolve(s, this.options.decode(e)),
      base.state,
    );
    return { current: { state, version: stored[stored.length - 1]!.streamVersion }, read: true };
  }
}
