import type { EventEnvelope } from '@cqrs/events';

/**
 * A process manager (saga) as plain data and pure functions: no I/O, no clock, no randomness,
 * so a definition is tested with given/when/then and property tests, and the runtime can
 * re-run any step after a crash and compute the same command again.
 *
 * `S` is the process state, stored as JSON: it must survive `JSON.parse(JSON.stringify(s))`.
 */
export interface ProcessDefinition<S, E extends EventEnvelope = EventEnvelope> {
  /**
   * Stable, [a-z0-9_] only: names the table (`<name>_processes`), the projection that starts
   * processes (its checkpoint rows, its notification channel) and the metric label.
   */
  readonly name: string;
  /** The process an event starts, if any. A second start of the same id is ignored. */
  start(event: E): ProcessStart<S> | undefined;
  /**
   * Later events a running process wants to see (e.g. a cancellation). Optional: most
   * processes learn everything from the answers to their own commands.
   */
  readonly observe?: ProcessObserver<S, E>;
  /** The one command to send in `state`, or done. Called again after every outcome. */
  next(state: S): ProcessNext;
  /** The state after the upstream answered the command of `step` (never on a retriable failure). */
  onOutcome(state: S, step: string, outcome: StepOutcome): S;
}

export interface ProcessStart<S> {
  readonly processId: string;
  readonly state: S;
}

export interface ProcessObserver<S, E extends EventEnvelope> {
  /** The process an event concerns, or undefined to ignore it. */
  processIdOf(event: E): string | undefined;
  apply(state: S, event: E): S;
}

export type ProcessNext = StepCommand | { readonly done: true };

/**
 * One command. `step` names it within the process and, with the process id, makes its
 * idempotency key: it must be the same every time the same state is asked, and differ from
 * every other step the process sends (a compensation is not a second try of the step it undoes).
 */
export interface StepCommand {
  readonly step: string;
  /** The upstream that takes it, e.g. a context's command side; resolved through config. */
  readonly target: string;
  readonly command: CommandRequest;
}

export interface CommandRequest {
  readonly method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under the target's base URL, starting with '/'. */
  readonly path: string;
  readonly body: unknown;
}

/** What the upstream decided. Transport failures, 5xx and 429 are no outcome: they are retried. */
export type StepOutcome =
  | { readonly kind: 'accepted'; readonly body?: unknown }
  | { readonly kind: 'rejected'; readonly status: number; readonly code: string };

export const isDone = (next: ProcessNext): next is { readonly done: true } => 'done' in next;

/** The idempotency key of a step: replays of the same step of the same process collapse upstream. */
export const idempotencyKey = (processId: string, step: string): string => `${processId}:${step}`;
