import type { Pool } from 'pg';
import { processTable } from '../schema/process-table.sql';

/** One process as an operator or a status endpoint sees it. */
export interface ProcessStatus<S = unknown> {
  processId: string;
  status: 'active' | 'done';
  /** The step being attempted; null once done. */
  step: string | null;
  /** Failed attempts of that step so far. */
  attempts: number;
  state: S;
  nextAttemptAt: string;
  createdAt: string;
  updatedAt: string;
  lastError: string | null;
}

/**
 * Reads one process by id, or undefined. The state is returned as stored: a service that
 * exposes it decides what of it to show.
 */
export async function readProcessStatus<S = unknown>(
  pool: Pool,
  schema: string,
  process: string,
  processId: string,
): Promise<ProcessStatus<S> | undefined> {
  const { rows } = await pool.query<{
    process_id: string;
    status: 'active' | 'done';
    step: string | null;
    attempts: number;
    state: S;
    next_attempt_at: Date;
    created_at: Date;
    updated_at: Date;
    last_error: string | null;
  }>(
    `SELECT process_id, status, step, attempts, state, next_attempt_at, created_at, updated_at,
            last_error
       FROM ${processTable(schema, process)} WHERE process_id = $1`,
    [processId],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    processId: row.process_id,
    status: row.status,
    step: row.step,
    attempts: row.attempts,
    state: row.state,
    nextAttemptAt: row.next_attempt_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastError: row.last_error,
  };
}
