import type { PoolClient } from 'pg';

/** A claimed row: what the driver needs to compute and send the process's next command. */
export interface ClaimedProcess<S> {
  readonly processId: string;
  readonly state: S;
  readonly step: string | null;
  readonly attempts: number;
}

/** What one attempt leaves in the row; written for the whole batch in one statement. */
export interface StepRecord {
  readonly processId: string;
  /** The new state (JSON), or null to keep the stored one (a retry). */
  readonly state: string | null;
  readonly status: 'active' | 'done';
  readonly step: string | null;
  readonly attempts: number;
  /** From the time of the write: 0 for a step that is due now, the backoff after a failure. */
  readonly delayMs: number;
  readonly lastError: string | null;
}

/**
 * Locks up to `limit` due active processes for this transaction. SKIP LOCKED: replicas claim
 * disjoint rows without waiting on each other, and a row stays locked until its outcome is
 * committed, so no two drivers ever send the same step at once.
 */
export async function claimDue<S>(
  tx: PoolClient,
  table: string,
  limit: number,
): Promise<ClaimedProcess<S>[]> {
  const { rows } = await tx.query<{
    process_id: string;
    state: S;
    step: string | null;
    attempts: number;
  }>(
    `SELECT process_id, state, step, attempts FROM ${table}
      WHERE status = 'active' AND next_attempt_at <= now()
      ORDER BY next_attempt_at
      LIMIT $1
      FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map((r) => ({
    processId: r.process_id,
    state: r.state,
    step: r.step,
    attempts: r.attempts,
  }));
}

/**
 * Writes a batch's attempts. clock_timestamp(), not now(): the transaction began before the
 * sends, and a backoff counted from then would be shorter by the time they took.
 */
export async function recordSteps(
  tx: PoolClient,
  table: string,
  records: readonly StepRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await tx.query(
    `UPDATE ${table} AS t
        SET state = COALESCE(u.state::jsonb, t.state), status = u.status, step = u.step,
            attempts = u.attempts,
            next_attempt_at = clock_timestamp() + u.delay_ms * interval '1 millisecond',
            updated_at = clock_timestamp(), last_error = u.last_error
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::float8[], $7::text[])
         AS u(id, state, status, step, attempts, delay_ms, last_error)
      WHERE t.process_id = u.id`,
    [
      records.map((r) => r.processId),
      records.map((r) => r.state),
      records.map((r) => r.status),
      records.map((r) => r.step),
      records.map((r) => r.attempts),
      records.map((r) => r.delayMs),
      records.map((r) => r.lastError),
    ],
  );
}
