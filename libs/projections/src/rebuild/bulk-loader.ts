import { inTransaction } from '@cqrs/platform';
import type { EventEnvelope } from '@cqrs/events';
import type { KafkaMessage } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { DecodeEvent, Projection } from '../projection.types';
import { planBatch, type ParkedEvent, type StreamState } from '../runtime/batch-planner';
import { decodeMessage } from '../runtime/decode-message';
import {
  deleteUnparked,
  insertDeadLetters,
  insertParked,
  upsertStreams,
  type DeadLetterRow,
  type ParkedRow,
} from '../runtime/runtime-writes';

export interface BulkLoaderOptions<E extends EventEnvelope> {
  pool: Pool;
  /** The fresh schema being filled (checked by the caller). */
  schema: string;
  topic: string;
  projection: Projection<E>;
  decode: DecodeEvent<E>;
  /** Events per write transaction. */
  eventsPerWrite: number;
}

interface Pending<E extends EventEnvelope> {
  events: E[];
  deadLetters: { partition: number; rows: DeadLetterRow[] }[];
  parked: { partition: number; rows: ParkedRow[] }[];
  unparked: { streamId: string; streamVersion: number }[];
}

const nothingPending = <E extends EventEnvelope>(): Pending<E> => ({
  events: [],
  deadLetters: [],
  parked: [],
  unparked: [],
});

/** Rows per statement when the stream versions are written at the end (bounded parameters). */
const STREAM_ROWS_PER_STATEMENT = 50_000;

/**
 * Fills a fresh schema from the whole log. Nothing reads it before the swap and a failed
 * rebuild starts over, so the live runtime's per-chunk bookkeeping (row locks, stream versions
 * and checkpoint in every transaction) lives in memory here and is written once, at the end;
 * the projection gets batches of tens of thousands of events, written while the next ones are
 * decoded. The decisions are the live runtime's own (planBatch): redeliveries skipped, poison
 * dead-lettered, streams parked, gaps released, so the rows come out the same.
 */
export class BulkLoader<E extends EventEnvelope> {
  private readonly streams = new Map<string, StreamState>();
  /** Parked events by stream, for releasing them when a gap fills (the planner's backlog). */
  private readonly parkedEvents = new Map<string, ParkedEvent<E>[]>();
  private readonly nextOffsets = new Map<number, bigint>();
  private pending: Pending<E> = nothingPending();
  private writing: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(private readonly options: BulkLoaderOptions<E>) {}

  /** Messages consumed so far per partition: the next offset to read. */
  nextOffset(partition: number): bigint {
    return this.nextOffsets.get(partition) ?? 0n;
  }

  /**
   * Decodes and plans one consumer batch (offsets already seen are skipped: a redelivery);
   * starts a write once enough events are pending, waiting for the previous one first so at
   * most two batches of events are held.
   */
  async accept(partition: number, messages: readonly KafkaMessage[]): Promise<void> {
    this.throwIfFailed();
    const from = this.nextOffset(partition);
    const fresh = messages.filter((m) => BigInt(m.offset) >= from);
    const last = fresh[fresh.length - 1];
    if (last === undefined) return;
    const decoded = fresh.map((m) => decodeMessage(this.options.decode, m));
    const plan = planBatch(decoded, this.streams, this.parkedEvents);
    for (const [streamId, state] of plan.streams) this.streams.set(streamId, state);
    const pending = this.pending;
    pending.events.push(...plan.apply);
    if (plan.deadLetters.length > 0 || plan.parked.length > 0) {
      const byOffset = new Map(fresh.map((m) => [m.offset, m]));
      const events = new Map(decoded.flatMap((d) => (d.kind === 'event' ? [[d.offset, d]] : [])));
      pending.deadLetters.push({
        partition,
        rows: plan.deadLetters.map((l) => ({ ...l, message: byOffset.get(l.offset) })),
      });
      pending.parked.push({
        partition,
        rows: plan.parked.map((p) => ({
          ...p,
          value: byOffset.get(p.offset)?.value ?? Buffer.alloc(0),
        })),
      });
      for (const p of plan.parked) {
        const event = events.get(p.offset)?.event;
        if (event === undefined) continue;
        const list = this.parkedEvents.get(p.streamId) ?? [];
        list.push({ offset: p.offset, event });
        this.parkedEvents.set(p.streamId, list);
      }
    }
    for (const u of plan.unparked) {
      const left = (this.parkedEvents.get(u.streamId) ?? []).filter(
        (p) => p.event.streamVersion !== u.streamVersion,
      );
      if (left.length > 0) this.parkedEvents.set(u.streamId, left);
      else this.parkedEvents.delete(u.streamId);
    }
    pending.unparked.push(...plan.unparked);
    this.nextOffsets.set(partition, BigInt(last.offset) + 1n);
    if (pending.events.length >= this.options.eventsPerWrite) await this.startWrite();
  }

  /** Writes what is left, then the stream versions and the checkpoints: the schema is complete. */
  async finish(): Promise<void> {
    await this.writing;
    this.throwIfFailed();
    const s = this.options.schema;
    const p = this.options.projection.name;
    await this.inTransaction(async (client) => {
      await this.writeBatch(client, this.pending);
      this.pending = nothingPending();
      const entries = [...this.streams.entries()];
      for (let i = 0; i < entries.length; i += STREAM_ROWS_PER_STATEMENT) {
        await upsertStreams(client, s, p, entries.slice(i, i + STREAM_ROWS_PER_STATEMENT));
      }
      const partitions = [...this.nextOffsets.entries()];
      await client.query(
        `INSERT INTO ${s}.projector_checkpoints (projection, topic, partition, next_offset)
         SELECT $4, $1, * FROM unnest($2::int[], $3::bigint[])
         ON CONFLICT (projection, topic, partition)
           DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
        [
          this.options.topic,
          partitions.map(([partition]) => partition),
          partitions.map(([, o]) => o.toString()),
          p,
        ],
      );
    });
  }

  private async startWrite(): Promise<void> {
    await this.writing;
    this.throwIfFailed();
    const batch = this.pending;
    this.pending = nothingPending();
    this.writing = this.inTransaction((client) => this.writeBatch(client, batch)).then(
      () => (this.writing = undefined),
      (error: unknown) => {
        this.failure = { error };
        this.writing = undefined;
      },
    );
  }

  private async writeBatch(client: PoolClient, batch: Pending<E>): Promise<void> {
    const { schema: s, topic } = this.options;
    const p = this.options.projection.name;
    for (const { partition, rows } of batch.deadLetters) {
      await insertDeadLetters(client, s, p, topic, partition, rows);
    }
    // Parked before unparked: an event may be parked and released within one batch.
    for (const { partition, rows } of batch.parked) {
      await insertParked(client, s, p, topic, partition, rows);
    }
    await deleteUnparked(client, s, p, batch.unparked);
    if (batch.events.length > 0) {
      await this.options.projection.applyBatch(client, batch.events, { schema: s });
    }
  }

  /**
   * No fsync per write: the swap's commit is synchronous and makes every earlier commit
   * durable with it, and a crash before the swap means rebuilding again anyway.
   */
  private inTransaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    return inTransaction(this.options.pool, async (client) => {
      await client.query('SET LOCAL synchronous_commit = off');
      await work(client);
    });
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
