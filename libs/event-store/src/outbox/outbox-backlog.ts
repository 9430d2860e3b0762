import type { Pool } from 'pg';

export interface OutboxBacklog {
  /** Events committed but not yet acknowledged by Kafka. */
  pending: number;
  /** Age of the oldest of them in ms (0 when none): the outbox lag readiness reports. */
  oldestAgeMs: number;
}

export async function outboxBacklog(pool: Pool): Promise<OutboxBacklog> {
  const { rows } = await pool.query<{ pending: string; age_ms: number | null }>(`
    SELECT count(*)::text AS pending,
           (extract(epoch FROM clock_timestamp() - min(e.recorded_at)) * 1000)::float8 AS age_ms
      FROM outbox o JOIN events e ON e.global_position = o.global_position`);
  const row = rows[0];
  return {
    pending: Number(row?.pending ?? 0),
    oldestAgeMs: Math.max(0, Math.round(row?.age_ms ?? 0)),
  };
}
