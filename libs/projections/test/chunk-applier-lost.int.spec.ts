import { Pool } from 'pg';
import type { EventEnvelope } from '@cqrs/events';
import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';
import { EventsLostError } from '@cqrs/projections';
import { ChunkApplier } from '../src/runtime/chunk-applier';
import { noDeadLetterTopic } from '../src/runtime/dead-letter-publisher';
import { runtimeTables, setCheckpoint } from './support/runtime-tables.harness';

/**
 * A running projector whose fetch lands past its checkpoint (Kafka reset an out-of-range offset
 * to the log start, after retention removed what it still needed): the chunk must not be
 * applied as if the events in between never existed.
 */
const infra = testInfra();
let db: TestDatabase;
let pool: Pool;
const applied: EventEnvelope[] = [];

const applier = (): ChunkApplier<EventEnvelope> =>
  new ChunkApplier<EventEnvelope>({
    pool,
    schema: 'rm',
    projection: {
      name: 'lost_test',
      migrate: () => Promise.resolve(),
      applyBatch: (_tx, events) => Promise.resolve(void applied.push(...events)),
    },
    decode: () => ({ ok: false, error: { code: 'UNUSED', message: 'unused' } }) as never,
    channel: undefined,
    deadLetters: noDeadLetterTopic,
  });

const message = (offset: string) => ({
  offset,
  key: Buffer.from('s'),
  value: Buffer.from('{}'),
  timestamp: '0',
  attributes: 0,
  headers: {},
});
const event = (offset: string, version: number) =>
  ({
    kind: 'event',
    offset,
    event: { streamId: 's', streamVersion: version } as EventEnvelope,
  }) as const;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'chunk-applier-lost');
  pool = new Pool({ connectionString: db.url, max: 2 });
  await runtimeTables(pool, 'rm');
  await setCheckpoint(pool, 'rm', {
    projection: 'lost_test',
    topic: 't',
    partition: 0,
    nextOffset: '5',
  });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('refuses a chunk that starts past the checkpoint when the log starts there too', async () => {
  const input = {
    topic: 't',
    partition: 0,
    messages: [message('10')],
    decoded: [event('10', 11)],
    expected: undefined,
    logStart: () => Promise.resolve('10'),
  };
  await expect(applier().apply(input)).rejects.toThrow(EventsLostError);
  expect(applied).toEqual([]);
  const { rows } = await pool.query('SELECT next_offset FROM rm.projector_checkpoints');
  expect(rows).toEqual([{ next_offset: '5' }]);
});

it('seeks back (no error) when the log still holds the events from the checkpoint', async () => {
  const outcome = await applier().apply({
    topic: 't',
    partition: 0,
    messages: [message('10')],
    decoded: [event('10', 11)],
    expected: undefined,
    logStart: () => Promise.resolve('0'),
  });
  expect(outcome).toEqual({ kind: 'moved', to: '5' });
});
