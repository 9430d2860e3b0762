import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { checkedSchema } from '../schema/projector-tables.sql';

/** A partition whose log no longer starts where the projection needs to read from. */
export interface LostRange {
  partition: number;
  /** The first offset the projection needs (its checkpoint; 0 when it has none). */
  needed: string;
  /** Where the partition's log starts now: everything before it was deleted. */
  logStart: string;
}

/**
 * A projection cannot be built from a log that lost its beginning: replaying "from the
 * beginning" of what is left would report success over a read model missing those events.
 * Raised instead of starting (fresh projector, rebuild) or applying (running projector).
 */
export class EventsLostError extends Error {
  override readonly name = 'EventsLostError';
  readonly code = 'EVENTS_LOST';

  constructor(
    readonly topic: string,
    readonly lost: readonly LostRange[],
  ) {
    super(
      `events of ${topic} are gone (expired by retention or deleted): ` +
        lost
          .map(
            (l) =>
              `partition ${l.partition} needs offset ${l.needed} but its log starts at ${l.logStart} ` +
              `(${BigInt(l.logStart) - BigInt(l.needed)} events lost)`,
          )
          .join('; ') +
        '. Restore the events (or rebuild from another copy of them) before projecting this topic;' +
        ' event topics need retention.ms=-1.',
    );
  }
}

/** Pure: the partitions whose needed offset lies before their log start. */
export function findLostRanges(
  offsets: readonly { partition: number; low: string; high: string }[],
  checkpoints: ReadonlyMap<number, string | null>,
): LostRange[] {
  return offsets.flatMap((o) => {
    const needed = checkpoints.get(o.partition) ?? '0';
    return BigInt(o.low) > BigInt(needed)
      ? [{ partition: o.partition, needed, logStart: o.low }]
      : [];
  });
}

/** A projection's checkpoints of one topic in its schema (none: a fresh projection). */
export async function readCheckpoints(
  pool: Pool,
  schema: string,
  projection: string,
  topic: string,
): Promise<Map<number, string | null>> {
  const { rows } = await pool.query<{ partition: number; next_offset: string | null }>(
    `SELECT partition, next_offset FROM ${checkedSchema(schema)}.projector_checkpoints
      WHERE projection = $1 AND topic = $2`,
    [projection, topic],
  );
  return new Map(rows.map((r) => [r.partition, r.next_offset]));
}

/** Throws EventsLostError when any partition lost events the projection still needs. */
export async function assertEventsRetained(
  admin: Admin,
  topic: string,
  checkpoints: ReadonlyMap<number, string | null>,
): Promise<void> {
  const lost = findLostRanges(await admin.fetchTopicOffsets(topic), checkpoints);
  if (lost.length > 0) throw new EventsLostError(topic, lost);
}
