import { runMigrations } from '@cqrs/platform';
import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';
import { Pool } from 'pg';
import { projectorTableMigrations } from '../../src';
import {
  checkpointSum,
  deadLetterRows,
  parkedRows,
  runtimeTables,
  setCheckpoint,
  streamRows,
} from '../support/runtime-tables.harness';

/**
 * A database the projector created before projections had names (tables made by the frozen
 * 0001 text, no history): migrating records 0001 without changes, and 0002 gives the rows
 * already there the first projection's name, so that projection resumes where it was.
 */
const infra = testInfra();
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'projector-migrations');
  pool = new Pool({ connectionString: db.url, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('upgrades tables created before named projections; their rows go to the first projection', async () => {
  const [v1] = projectorTableMigrations('old_rm', 'accounts');
  if (v1 === undefined) throw new Error('no 0001 migration');
  await pool.query(v1.sql); // what ensureProjectorTables did on every boot
  await pool.query(
    `INSERT INTO old_rm.projector_checkpoints (topic, partition, next_offset) VALUES ('t', 0, 7);
     INSERT INTO old_rm.projector_streams (stream_id, version, parked_at) VALUES ('s', 4, 5);
     INSERT INTO old_rm.projector_dead_letters
       (topic, partition, kafka_offset, stream_id, stream_version, reason_code, reason)
       VALUES ('t', 0, 5, 's', 5, 'HANDLER_FAILED', 'bug');
     INSERT INTO old_rm.projector_parked
       (stream_id, stream_version, topic, partition, kafka_offset, value)
       VALUES ('s', 6, 't', 0, 6, '\\x7b7d')`,
  );

  expect(await runtimeTables(pool, 'old_rm', 'accounts')).toEqual([
    'projector-0001-tables',
    'projector-0002-named-projections',
  ]);
  expect(await checkpointSum(pool, 'old_rm', 'accounts')).toBe(7);
  expect(await streamRows(pool, 'old_rm', 'accounts')).toEqual([
    { stream_id: 's', version: 4, parked_at: 5 },
  ]);
  expect(await deadLetterRows(pool, 'old_rm', 'accounts')).toHaveLength(1);
  expect(await parkedRows(pool, 'old_rm', 'accounts')).toHaveLength(1);

  // Another projection's rows now sit beside them under the same keys.
  await setCheckpoint(pool, 'old_rm', {
    projection: 'other',
    topic: 't',
    partition: 0,
    nextOffset: '2',
  });
  expect(await checkpointSum(pool, 'old_rm', 'accounts')).toBe(7);
  expect(await checkpointSum(pool, 'old_rm', 'other')).toBe(2);
  // Idempotent, and each schema has its own history.
  expect(await runtimeTables(pool, 'old_rm', 'accounts')).toEqual([]);
  expect(await runtimeTables(pool, 'new_rm', 'accounts')).toHaveLength(2);
});

it('keeps the unqualified history (the event store) apart from the schema histories', async () => {
  const applied = await runMigrations(pool, [{ id: '0001-t', sql: 'CREATE TABLE t (n int)' }]);
  expect(applied).toEqual(['0001-t']);
  const { rows } = await pool.query<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables
      WHERE table_name = 'schema_migrations' ORDER BY table_schema`,
  );
  expect(rows.map((r) => r.schema)).toEqual(['new_rm', 'old_rm', 'public']);
  expect(await runMigrations(pool, [{ id: '0001-t', sql: 'CREATE TABLE t (n int)' }])).toEqual([]);
});
