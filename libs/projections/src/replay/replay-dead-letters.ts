import { inTransaction } from '@cqrs/platform';
import type { EventEnvelope } from '@cqrs/events';
import type { Pool, PoolClient } from 'pg';
import type { DecodeEvent, Projection } from '../projection.types';
import { positionsChannel } from '../schema/projector-tables.sql';
import { describeError } from '../runtime/transient-errors';

export interface ReplayOptions<E extends EventEnvelope> {
  pool: Pool;
  schema: string;
  projection: Projection<E>;
  /** The fixed decoder (a new upcaster, a corrected schema...). */
  decode: DecodeEvent<E>;
  progress?: (line: string) => void;
}

export interface ReplayReport {
  replayed: number;
  stillFailing: number;
  parkedApplied: number;
  streamsUnparked: number;
}

interface LetterRow {
  id: string;
  stream_id: string | null;
  value: Buffer | null;
}

/**
 * Re-drives dead letters after a fix: each one is decoded again and applied if it is the next
 * version of its stream; then the stream's parked events are applied in version order as far
 * as they are contiguous, and the stream is unparked when nothing is left blocking it. One
 * transaction per dead letter, holding the stream's row lock, so the live projector (which
 * takes the same lock) never interleaves with it. Letters that still fail stay as they are.
 */
export async function replayDeadLetters<E extends EventEnvelope>(
  options: ReplayOptions<E>,
): Promise<ReplayReport> {
  const { pool, schema: s, progress = () => undefined } = options;
  const p = options.projection.name;
  const report: ReplayReport = {
    replayed: 0,
    stillFailing: 0,
    parkedApplied: 0,
    streamsUnparked: 0,
  };
  const { rows: letters } = await pool.query<LetterRow>(
    `SELECT id::text, stream_id, value FROM ${s}.projector_dead_letters
      WHERE projection = $1 AND replayed_at IS NULL ORDER BY id`,
    [p],
  );
  progress(`replaying ${letters.length} dead letters of ${p} from ${s}`);
  for (const [index, letter] of letters.entries()) {
    const decoded = letter.value === null ? undefined : options.decode(letter.value);
    if (decoded === undefined || !decoded.ok) {
      report.stillFailing += 1;
      progress(
        `  #${letter.id}: still undecodable (${decoded?.ok === false ? decoded.error.code : 'empty'})`,
      );
      continue;
    }
    try {
      const done = await inTransaction(
        pool,
        (client) => replayOne(client, options, letter.id, decoded.event, report),
        (applied) => applied,
      );
      if (!done) report.stillFailing += 1;
    } catch (error) {
      report.stillFailing += 1;
      progress(`  #${letter.id}: handler still fails: ${describeError(error)}`);
    }
    if ((index + 1) % 100 === 0) progress(`  ${index + 1}/${letters.length} dead letters handled`);
  }
  await pool.query('SELECT pg_notify($1, $2)', [positionsChannel(options.projection.name), '']);
  progress(
    `replayed ${report.replayed}, still failing ${report.stillFailing}, parked events applied ${report.parkedApplied}, streams unparked ${report.streamsUnparked}`,
  );
  return report;
}

async function replayOne<E extends EventEnvelope>(
  client: PoolClient,
  options: ReplayOptions<E>,
  letterId: string,
  event: E,
  report: ReplayReport,
): Promise<boolean> {
  const { schema: s, projection } = options;
  const p = projection.name;
  const streamId = event.streamId;
  await client.query(
    `INSERT INTO ${s}.projector_streams (projection, stream_id, version, parked_at)
     VALUES ($2, $1, 0, NULL) ON CONFLICT DO NOTHING`,
    [streamId, p],
  );
  const { rows } = await client.query<{ version: number }>(
    `SELECT version FROM ${s}.projector_streams WHERE projection = $2 AND stream_id = $1 FOR UPDATE`,
    [streamId, p],
  );
  let version = rows[0]?.version ?? 0;
  if (event.streamVersion > version + 1) return false; // an earlier hole first
  if (event.streamVersion === version + 1) {
    await projection.applyBatch(client, [event], { schema: s });
    version = event.streamVersion;
  }
  await client.query(`UPDATE ${s}.projector_dead_letters SET replayed_at = now() WHERE id = $1`, [
    letterId,
  ]);
  report.replayed += 1;

  const parked = await client.query<{ stream_version: number; value: Buffer }>(
    `SELECT stream_version, value FROM ${s}.projector_parked
      WHERE projection = $2 AND stream_id = $1 ORDER BY stream_version`,
    [streamId, p],
  );
  const next: E[] = [];
  for (const row of parked.rows) {
    if (row.stream_version <= version) continue;
    if (row.stream_version !== version + 1) break;
    const result = options.decode(row.value);
    if (!result.ok) break;
    next.push(result.event);
    version = row.stream_version;
  }
  if (next.length > 0) await projection.applyBatch(client, next, { schema: s });
  await client.query(
    `DELETE FROM ${s}.projector_parked WHERE projection = $3 AND stream_id = $1 AND stream_version <= $2`,
    [streamId, version, p],
  );
  const blocked = await client.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM ${s}.projector_parked WHERE projection = $4 AND stream_id = $1)::int
          + (SELECT count(*) FROM ${s}.projector_dead_letters
              WHERE projection = $4 AND stream_id = $1 AND replayed_at IS NULL AND id <> $2
                AND stream_version > $3)::int AS n`,
    [streamId, letterId, version, p],
  );
  const stillBlocked = (blocked.rows[0]?.n ?? 0) > 0;
  await client.query(
    `UPDATE ${s}.projector_streams SET version = $2, parked_at = $3
      WHERE projection = $4 AND stream_id = $1`,
    [streamId, version, stillBlocked ? version + 1 : null, p],
  );
  report.parkedApplied += next.length;
  if (!stillBlocked) report.streamsUnparked += 1;
  return true;
}
