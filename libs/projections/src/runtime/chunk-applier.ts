import { inTransaction } from '@cqrs/platform';
import type { EventEnvelope } from '@cqrs/events';
import type { KafkaMessage } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { DecodeEvent, Projection } from '../projection.types';
import {
  planBatch,
  type DecodedMessage,
  type ParkedEvent,
  type StreamState,
} from './batch-planner';
import type { SetAside } from './chunk-log';
import type { DeadLetterPublisher } from './dead-letter-publisher';
import { EventsLostError } from './retained-events';
import { deleteUnparked, insertDeadLetters, insertParked, upsertStreams } from './runtime-writes';

export interface ChunkInput<E extends EventEnvelope> {
  topic: string;
  partition: number;
  messages: readonly KafkaMessage[];
  decoded: readonly DecodedMessage<E>[];
  /** The checkpoint this process last wrote; undefined right after an assignment. */
  expected: string | undefined;
  /** The partition's log start, to tell a seek from a loss when a batch starts too late. */
  logStart: () => Promise<string>;
}

export type ChunkOutcome =
  | {
      kind: 'applied';
      nextOffset: string;
      applied: number;
      skipped: number;
      deadLettered: number;
      parked: number;
      /** The events behind those counts, for the runtime's log lines (logSetAside). */
      setAside: SetAside;
    }
  /** The stored checkpoint is not where this batch starts: seek there and drop the batch. */
  | { kind: 'moved'; to: string };

export interface ChunkApplierOptions<E extends EventEnvelope> {
  pool: Pool;
  schema: string;
  projection: Projection<E>;
  /** Decodes parked events loaded back when their gap fills. */
  decode: DecodeEvent<E>;
  channel: string | undefined;
  deadLetters: DeadLetterPublisher;
}

/**
 * One chunk, one transaction: read model + stream versions + dead letters + parked events +
 * checkpoint commit together, so a crash anywhere leaves either all of it or none of it.
 * The checkpoint row is locked first: two consumers of one partition (a rebalance overlap, a
 * rebuild swap) serialise on it, and the later one sees the moved checkpoint and backs off.
 */
export class ChunkApplier<E extends EventEnvelope> {
  constructor(private readonly options: ChunkApplierOptions<E>) {}

  apply(input: ChunkInput<E>): Promise<ChunkOutcome> {
    return inTransaction(
      this.options.pool,
      (client) => this.inTransaction(client, input),
      (outcome) => outcome.kind === 'applied',
    );
  }

  private async inTransaction(client: PoolClient, input: ChunkInput<E>): Promise<ChunkOutcome> {
    const { schema: s } = this.options;
    const p = this.options.projection.name;
    const { topic, partition, messages } = input;
    const first = messages[0];
    const last = messages[messages.length - 1];
    if (first === undefined || last === undefined) throw new Error('empty chunk');

    if (input.expected === undefined) {
      await client.query(
        `INSERT INTO ${s}.projector_checkpoints (projection, topic, partition, next_offset)
         VALUES ($3, $1, $2, NULL) ON CONFLICT DO NOTHING`,
        [topic, partition, p],
      );
    }
    const { rows } = await client.query<{ next_offset: string | null }>(
      `SELECT next_offset FROM ${s}.projector_checkpoints
        WHERE projection = $3 AND topic = $1 AND partition = $2 FOR UPDATE`,
      [topic, partition, p],
    );
    const stored = rows[0]?.next_offset ?? null;
    // A partition without a checkpoint needs its whole log, from offset 0.
    const resumeAt = stored ?? '0';
    if (input.expected !== undefined && resumeAt !== input.expected) {
      // Someone else moved it: another instance took the partition over, or a rebuild swapped
      // in a read model built up to another offset. Resume from the stored one.
      return { kind: 'moved', to: resumeAt };
    }
    // Right after an assignment the broker's group offset is only a hint: the stored
    // checkpoint says where to resume. Earlier messages are filtered out below. A batch that
    // starts later than that is a seek to make, unless the log itself starts later: then the
    // events in between are gone and applying what is left would silently skip them.
    if (input.expected === undefined && BigInt(first.offset) > BigInt(resumeAt)) {
      const logStart = await input.logStart();
      if (BigInt(logStart) > BigInt(resumeAt)) {
        throw new EventsLostError(topic, [{ partition, needed: resumeAt, logStart }]);
      }
      return { kind: 'moved', to: resumeAt };
    }
    const from = BigInt(stored ?? '0');
    const decoded = input.decoded.filter((m) => BigInt(m.offset) >= from);

    const streamIds = [
      ...new Set(
        decoded.flatMap((m) =>
          m.kind === 'event' ? [m.event.streamId] : m.streamId === undefined ? [] : [m.streamId],
        ),
      ),
    ];
    const streams = await this.loadStreams(client, streamIds);
    const plan = planBatch(decoded, streams, await this.loadGapBacklog(client, streams));
    await deleteUnparked(client, s, p, plan.unparked);

    if (plan.apply.length > 0) {
      await this.options.projection.applyBatch(client, plan.apply, { schema: s });
    }
    if (plan.deadLetters.length > 0) {
      const byOffset = new Map(messages.map((m) => [m.offset, m]));
      const letters = plan.deadLetters.map((letter) => ({
        ...letter,
        message: byOffset.get(letter.offset),
      }));
      // Published before the commit: a crash in between re-sends (at least once to the DLQ),
      // while the table's unique (topic, partition, offset) keeps the count exact.
      await this.options.deadLetters.publish(topic, partition, letters);
      await insertDeadLetters(client, s, p, topic, partition, letters);
    }
    if (plan.parked.length > 0) {
      const byOffset = new Map(messages.map((m) => [m.offset, m.value]));
      const parked = plan.parked.map((p) => ({
        ...p,
        value: byOffset.get(p.offset) ?? Buffer.alloc(0),
      }));
      await insertParked(client, s, p, topic, partition, parked);
    }
    await upsertStreams(client, s, p, [...plan.streams.entries()]);
    const nextOffset = (BigInt(last.offset) + 1n).toString();
    await client.query(
      `UPDATE ${s}.projector_checkpoints SET next_offset = $3, updated_at = now()
        WHERE projection = $4 AND topic = $1 AND partition = $2`,
      [topic, partition, nextOffset, p],
    );
    if (this.options.channel !== undefined && plan.apply.length > 0) {
      // Delivered on commit only: waiters re-check exactly when new data is visible.
      await client.query('SELECT pg_notify($1, $2)', [this.options.channel, '']);
    }
    return {
      kind: 'applied',
      nextOffset,
      applied: plan.apply.length,
      skipped: plan.skipped + (input.decoded.length - decoded.length),
      deadLettered: plan.deadLetters.length,
      parked: plan.parked.length,
      setAside: { deadLetters: plan.deadLetters, parked: plan.parked },
    };
  }

  private async loadStreams(
    client: PoolClient,
    streamIds: string[],
  ): Promise<Map<string, StreamState>> {
    const streams = new Map<string, StreamState>();
    if (streamIds.length === 0) return streams;
    const s = this.options.schema;
    // A parked stream with no dead letter waiting is parked on a gap (see StreamState.gap).
    const { rows } = await client.query<{
      stream_id: string;
      version: number;
      parked_at: number | null;
      gap: boolean;
    }>(
      `SELECT st.stream_id, st.version, st.parked_at,
              CASE WHEN st.parked_at IS NULL THEN false
                   ELSE NOT EXISTS (SELECT 1 FROM ${s}.projector_dead_letters d
                                     WHERE d.projection = st.projection
                                       AND d.stream_id = st.stream_id AND d.replayed_at IS NULL)
              END AS gap
         FROM ${s}.projector_streams st
        WHERE st.projection = $2 AND st.stream_id = ANY($1::text[]) FOR UPDATE OF st`,
      [streamIds, this.options.projection.name],
    );
    for (const row of rows) {
      streams.set(row.stream_id, { version: row.version, parkedAt: row.parked_at, gap: row.gap });
    }
    return streams;
  }

  /** The parked events of the batch's gap-parked streams (rare: usually no query at all). */
  private async loadGapBacklog(
    client: PoolClient,
    streams: ReadonlyMap<string, StreamState>,
  ): Promise<Map<string, ParkedEvent<E>[]>> {
    const backlog = new Map<string, ParkedEvent<E>[]>();
    const gapped = [...streams].filter(([, st]) => st.gap === true).map(([id]) => id);
    if (gapped.length === 0) return backlog;
    const { rows } = await client.query<{ stream_id: string; kafka_offset: string; value: Buffer }>(
      `SELECT stream_id, kafka_offset::text, value FROM ${this.options.schema}.projector_parked
        WHERE projection = $2 AND stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
      [gapped, this.options.projection.name],
    );
    for (const row of rows) {
      const result = this.options.decode(row.value);
      if (!result.ok) continue; // stays parked; the replay command reports it
      const list = backlog.get(row.stream_id) ?? [];
      list.push({ offset: row.kafka_offset, event: result.event });
      backlog.set(row.stream_id, list);
    }
    return backlog;
  }
}
