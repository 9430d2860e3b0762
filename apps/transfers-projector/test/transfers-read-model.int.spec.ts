import { randomUUID } from 'node:crypto';
import type { TransferEvent } from '@cqrs/events';
import { migrateProjections } from '@cqrs/projector-service';
import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';
import { Pool } from 'pg';
import { getTransfer } from '../src/get-transfer/get-transfer.query';
import { decodeTransfersCursor, listTransfers } from '../src/list-transfers/list-transfers.query';
import { transfersProjectorService } from '../src/transfers-projector.service';

/**
 * The read model against real Postgres: the service's migrations create it, the projection
 * writes a batch in one transaction, the queries read it back (an owner sees only their own).
 */
const infra = testInfra();
const schema = 'transfers_rm';
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'transfers-read-model');
  pool = new Pool({ connectionString: db.url, max: 2 });
  await migrateProjections(pool, transfersProjectorService.projections, {
    READ_MODEL_SCHEMA: schema,
    eventsTopic: 'unused',
    KAFKA_GROUP_ID: 'unused',
  });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const metadata = { correlationId: 'c', causationId: 'c', actorId: 'alice' };
let clock = Date.parse('2025-01-01T00:00:00.000Z');
const at = (): string => new Date((clock += 1_000)).toISOString();

const created = (transferId: string, ownerId: string, title: string): TransferEvent => ({
  eventId: randomUUID(),
  streamId: transferId,
  streamVersion: 1,
  occurredAt: at(),
  metadata,
  type: 'TransferCreated',
  schemaVersion: 1,
  data: { transferId, ownerId, title },
});

const renamed = (transferId: string, version: number, title: string): TransferEvent => ({
  eventId: randomUUID(),
  streamId: transferId,
  streamVersion: version,
  occurredAt: at(),
  metadata,
  type: 'TransferRenamed',
  schemaVersion: 1,
  data: { transferId, title },
});

async function apply(events: readonly TransferEvent[]): Promise<void> {
  const [projection] = transfersProjectorService.projections;
  if (!projection) throw new Error('the service has no projection');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await projection.applyBatch(client, events, { schema });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

it("given alice's first and second transfer, the first renamed, when she reads, then the queries show the latest titles and page in creation order", async () => {
  const [first, second] = [randomUUID(), randomUUID()];
  await apply([
    created(first, 'alice', 'First'),
    created(second, 'alice', 'Second'),
    renamed(first, 2, 'First, renamed'),
  ]);

  expect(await getTransfer(pool, schema, first, 'alice')).toMatchObject({
    transferId: first,
    title: 'First, renamed',
    version: 2,
  });
  const page = await listTransfers(pool, schema, 'alice', 1, undefined);
  expect(page.items.map((s) => s.transferId)).toEqual([first]);
  expect(page.nextCursor).not.toBeNull();
  const next = await listTransfers(
    pool,
    schema,
    'alice',
    1,
    decodeTransfersCursor(page.nextCursor ?? ''),
  );
  expect(next).toEqual({
    items: [expect.objectContaining({ transferId: second })],
    nextCursor: null,
  });
});

it("given alice's transfer, when bob reads it, then it is absent for him", async () => {
  const transferId = randomUUID();
  await apply([created(transferId, 'alice', 'Private')]);
  expect(await getTransfer(pool, schema, transferId, 'bob')).toBeUndefined();
  expect((await listTransfers(pool, schema, 'bob', 10, undefined)).items).toEqual([]);
});
