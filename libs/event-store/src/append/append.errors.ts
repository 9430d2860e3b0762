/**
 * Coded failures of an append that the HTTP edge maps to answers. Anything else an append throws
 * is a plain dependency failure (nothing stored, retry is safe).
 */

/**
 * The append statement was sent but its answer never arrived (the connection broke, the server
 * was shut down): it may or may not have committed. Repeating the command without an
 * Idempotency-Key could store it twice; with one, the retry returns the stored outcome.
 */
export class AppendOutcomeUnknownError extends Error {
  readonly code = 'COMMAND_OUTCOME_UNKNOWN';
  constructor(options?: { cause?: unknown }) {
    super(
      'the append was sent but its outcome is unknown (the database connection failed)',
      options,
    );
    this.name = 'AppendOutcomeUnknownError';
  }
}

/** The group-commit queue is full: the database is not keeping up; nothing was stored. */
export class AppendQueueFullError extends Error {
  readonly code = 'COMMAND_QUEUE_FULL';
  constructor(readonly maxQueued: number) {
    super(`the append queue is full (${maxQueued} waiting)`);
    this.name = 'AppendQueueFullError';
  }
}

/** Deadlock and serialization failure: the server rolled the transaction back; a rerun may pass. */
const TRANSIENT_SQLSTATES = new Set(['40P01', '40001']);

interface PgErrorShape {
  code?: unknown;
  severity?: unknown;
}

export function isTransientAppendError(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as PgErrorShape;
  return severity === 'ERROR' && typeof code === 'string' && TRANSIENT_SQLSTATES.has(code);
}

/**
 * An ERROR from the server means the statement failed and its implicit transaction rolled back:
 * nothing was stored. Anything else after the statement was sent (a FATAL such as
 * "terminating connection due to administrator command", a reset socket, a connection that
 * ended) leaves open whether the commit happened before the answer was lost.
 */
export function isDefinitelyRolledBack(error: unknown): boolean {
  return (error as PgErrorShape | undefined)?.severity === 'ERROR';
}
