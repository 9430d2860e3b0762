import { inTransaction, createPool } from '@cqrs/platform';
import { migrateProjectorTables } from '@cqrs/projections';
import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';
import type { Pool } from 'pg';
import {
  HttpCommandPort,
  processProjection,
  readProcessStatus,
  StepDriver,
  type ProcessStatus,
  type StepDriverOptions,
} from '../../src';
import { handoffEvent, handoffProcess, type HandoffState } from './handoff-process.fixture';
import { ScriptServer } from './script-server';

export const SCHEMA = 'pm';
export const SYSTEM_TOKEN = 'test-system-token-0123456789';
export const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ProcessTestbed {
  db: TestDatabase;
  pool: Pool;
  server: ScriptServer;
}

/** A database with the runtime and process tables, a pool and a script server per test file. */
export function processTestbed(label: string, processName = 'handoffs'): ProcessTestbed {
  const bed = {} as ProcessTestbed;
  beforeAll(async () => {
    bed.db = await createTestDatabase(testInfra().databaseUrl, label);
    bed.pool = createPool({ connectionString: bed.db.url, max: 8 }, { warn: () => undefined });
    await migrateProjectorTables(bed.pool, SCHEMA, processName);
    await processProjection(handoffProcess(processName)).migrate(bed.pool, SCHEMA);
    bed.server = new ScriptServer();
    await bed.server.start();
  });
  beforeEach(async () => {
    await bed.pool.query(`DELETE FROM ${SCHEMA}.${processName}_processes`);
    bed.server.reset();
  });
  afterAll(async () => {
    await bed.server?.stop();
    await bed.pool?.end();
    await bed.db?.drop();
  });
  return bed;
}

/** A port to the script server for both of the fixture's targets. */
export const portTo = (server: ScriptServer, timeoutMs = 2_000): HttpCommandPort =>
  new HttpCommandPort({
    baseUrls: { ledger: server.url, requests: server.url },
    systemToken: SYSTEM_TOKEN,
    timeoutMs,
  });

export function handoffDriver(
  bed: ProcessTestbed,
  options: Partial<StepDriverOptions<HandoffState>> = {},
): StepDriver<HandoffState> {
  return new StepDriver<HandoffState>({
    pool: bed.pool,
    schema: SCHEMA,
    definition: handoffProcess(),
    port: portTo(bed.server),
    log: quietLog,
    backoff: { baseMs: 50, maxMs: 400 },
    pollIntervalMs: 50,
    ...options,
  });
}

/**
 * Starts handoffs the way the projector does (the process projection in a transaction), for
 * driver tests that need no Kafka; the start-from-Kafka path has its own test.
 */
export async function startHandoffs(pool: Pool, ids: readonly string[]): Promise<void> {
  const projection = processProjection(handoffProcess());
  const events = ids.map((id) =>
    handoffEvent(id, 1, {
      type: 'HandoffRequested',
      data: { from: `${id}-a`, to: `${id}-b`, amount: 10 },
    }),
  );
  await inTransaction(pool, (tx) => projection.applyBatch(tx, events, { schema: SCHEMA }));
}

export const statusOf = async (pool: Pool, id: string): Promise<ProcessStatus<HandoffState>> => {
  const status = await readProcessStatus<HandoffState>(pool, SCHEMA, 'handoffs', id);
  if (status === undefined) throw new Error(`no process ${id}`);
  return status;
};
