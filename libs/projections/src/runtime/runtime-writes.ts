import type { KafkaMessage } from 'kafkajs';
import type { PoolClient } from 'pg';
import type { PlannedDeadLetter, PlannedParking, StreamState } from './batch-planner';
import { messageHeaders } from '@cqrs/events';

/**
 * The runtime's own bulk statements (stream versions, dead letters, parked events), shared by
 * the live chunk transaction and the rebuild's bulk load so both leave the same rows. `s` is a
 * checked schema name, `p` the projection's name (every row is keyed by it).
 */

/** Parked events applied now that their gap is filled leave the parked table. */
export async function deleteUnparked(
  client: PoolClient,
  s: string,
  p: string,
  unparked: readonly { streamId: string; streamVersion: number }[],
): Promise<void> {
  if (unparked.length === 0) return;
  await client.query(
    `DELETE FROM ${s}.projector_parked p
      USING unnest($2::text[], $3::int[]) AS u(stream_id, stream_version)
      WHERE p.projection = $1 AND p.stream_id = u.stream_id AND p.stream_version = u.stream_version`,
    [p, unparked.map((u) => u.streamId), unparked.map((u) => u.streamVersion)],
  );
}

export interface DeadLetterRow extends PlannedDeadLetter {
  readonly message: KafkaMessage | undefined;
}

/** Unique on (projection, topic, partition, offset): a redelivered poison message is recorded once. */
export async function insertDeadLetters(
  client: PoolClient,
  s: string,
  p: string,
  topic: string,
  partition: number,
  letters: readonly DeadLetterRow[],
): Promise<void> {
  if (letters.length === 0) return;
  await client.query(
    `INSERT INTO ${s}.projector_dead_letters
       (projection, topic, partition, kafka_offset, stream_id, stream_version, reason_code, reason, value, headers)
     SELECT $10, $1, $2, * FROM unnest($3::bigint[], $4::text[], $5::int[], $6::text[], $7::text[], $8::bytea[], $9::jsonb[])
     ON CONFLICT DO NOTHING`,
    [
      topic,
      partition,
      letters.map((l) => l.offset),
      letters.map((l) => l.streamId ?? null),
      letters.map((l) => l.streamVersion ?? null),
      letters.map((l) => l.code),
      letters.map((l) => l.reason),
      letters.map((l) => l.message?.value ?? null),
      letters.map((l) => JSON.stringify(messageHeaders(l.message))),
      p,
    ],
  );
}

export interface ParkedRow extends PlannedParking {
  readonly value: Buffer;
}

export async function insertParked(
  client: PoolClient,
  s: string,
  p: string,
  topic: string,
  partition: number,
  parked: readonly ParkedRow[],
): Promise<void> {
  if (parked.length === 0) return;
  await client.query(
    `INSERT INTO ${s}.projector_parked (projection, stream_id, stream_version, topic, partition, kafka_offset, value)
     SELECT $7, x.stream_id, x.stream_version, $1, $2, x.kafka_offset, x.value
       FROM unnest($3::text[], $4::int[], $5::bigint[], $6::bytea[])
         AS x(stream_id, stream_version, kafka_offset, value)
     ON CONFLICT DO NOTHING`,
    [
      topic,
      partition,
      parked.map((x) => x.streamId),
      parked.map((x) => x.streamVersion),
      parked.map((x) => x.offset),
      parked.map((x) => x.value),
      p,
    ],
  );
}

export async function upsertStreams(
  client: PoolClient,
  s: string,
  p: string,
  entries: readonly (readonly [string, StreamState])[],
): Promise<void> {
  if (entries.length === 0) return;
  await client.query(
    `INSERT INTO ${s}.projector_streams (projection, stream_id, version, parked_at)
     SELECT $4, * FROM unnest($1::text[], $2::int[], $3::int[])
     ON CONFLICT (projection, stream_id) DO UPDATE SET version = EXCLUDED.version, parked_at = EXCLUDED.parked_at`,
    [
      entries.map(([id]) => id),
      entries.map(([, v]) => v.version),
      entries.map(([, v]) => v.parkedAt),
      p,
    ],
  );
}
