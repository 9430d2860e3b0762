import type { Pool, PoolClient } from 'pg';

export interface OutboxBacklog {
  /** Events committed but not yet acknowledged by Kafka. */
  pending: number;
  /** Age of the oldest of them in ms (0 when none): the outbox lag readiness reports. */
  oldestAgeMs: number;
}

/**
 * Readiness asks this on every probe, so it reads the outbox (small: only what Kafka has not
 * acknowledged) and one event by key, never a join over the store: the planner could hash the
 * whole `events` table for it on stale statistics.
 */
export async function outboxBacklog(db: Pool | PoolClient): Promise<OutboxBacklog> {
  const { rows } = await db.query<{ pending: string; age_ms: number | null }>(`
    SELECT count(*)::text AS pending,
           (SELECT (extract(epoch FROM clock_timestamp() - e.recorded_at) * 1000)::float8
              FROM events e WHERE e.global_position = min(o.global_position)) AS age_ms
      FROM outbox o`);
  const row = rows[0];
  return {
    pending: Number(row?.pending ?? 0),
    oldestAgeMs: Math.max(0, Math.round(row?.age_ms ?? 0)),
  };
}
