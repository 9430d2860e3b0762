import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';

export interface PartitionStatus {
  partition: number;
  /** Next offset to apply (null: nothing applied yet). */
  checkpoint: string | null;
  highWatermark: string;
  lag: number;
  deadLetters: number;
}

export interface ProjectionStatus {
  projection: string;
  topic: string;
  schema: string;
  partitions: PartitionStatus[];
  totalLag: number;
  deadLetters: number;
  parkedStreams: number;
  parkedEvents: number;
  readAt: string;
}

/**
 * Reads the status of a projection from the database (checkpoints written by every instance,
 * so any instance or the query side sees the whole group) and the broker's high watermarks.
 * Cached briefly: /metrics scrapes and readiness probes must not hammer Kafka and Postgres.
 */
export class ProjectionStatusReader {
  private cached: { at: number; value: Promise<ProjectionStatus> } | undefined;

  constructor(
    private readonly options: {
      pool: Pool;
      admin: Admin;
      schema: string;
      topic: string;
      projection: string;
      cacheMs?: number;
    },
  ) {}

  read(): Promise<ProjectionStatus> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? 1_000)) {
      return this.cached.value;
    }
    const value = this.readNow();
    this.cached = { at: now, value };
    value.catch(() => (this.cached = undefined));
    return value;
  }

  private async readNow(): Promise<ProjectionStatus> {
    const { pool, admin, schema: s, topic, projection } = this.options;
    const [offsets, checkpoints, letters, parked] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      pool.query<{ partition: number; next_offset: string | null }>(
        `SELECT partition, next_offset FROM ${s}.projector_checkpoints
          WHERE projection = $1 AND topic = $2`,
        [projection, topic],
      ),
      pool.query<{ partition: number; n: number }>(
        `SELECT partition, count(*)::int AS n FROM ${s}.projector_dead_letters
          WHERE projection = $1 AND topic = $2 AND replayed_at IS NULL GROUP BY partition`,
        [projection, topic],
      ),
      pool.query<{ streams: number; events: number }>(
        `SELECT count(DISTINCT stream_id)::int AS streams, count(*)::int AS events
           FROM ${s}.projector_parked WHERE projection = $1`,
        [projection],
      ),
    ]);
    const byPartition = new Map(checkpoints.rows.map((r) => [r.partition, r.next_offset]));
    const lettersBy = new Map(letters.rows.map((r) => [r.partition, r.n]));
    const partitions = offsets
      .map(({ partition, high, low }) => {
        const checkpoint = byPartition.get(partition) ?? null;
        const lag = Math.max(0, Number(high) - Number(checkpoint ?? low));
        return {
          partition,
          checkpoint,
          highWatermark: high,
          lag,
          deadLetters: lettersBy.get(partition) ?? 0,
        };
      })
      .sort((a, b) => a.partition - b.partition);
    return {
      projection,
      topic,
      schema: s,
      partitions,
      totalLag: partitions.reduce((sum, p) => sum + p.lag, 0),
      deadLetters: partitions.reduce((sum, p) => sum + p.deadLetters, 0),
      parkedStreams: parked.rows[0]?.streams ?? 0,
      parkedEvents: parked.rows[0]?.events ?? 0,
      readAt: new Date().toISOString(),
    };
  }
}
