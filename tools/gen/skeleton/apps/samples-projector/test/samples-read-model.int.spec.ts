import { randomUUID } from 'node:crypto';
import type { SampleEvent } from '@cqrs/events';
import { migrateProjections } from '@cqrs/projector-service';
import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';
import { Pool } from 'pg';
import { getSample } from '../src/get-sample/get-sample.query';
import { decodeSamplesCursor, listSamples } from '../src/list-samples/list-samples.query';
import { samplesProjectorService } from '../src/samples-projector.service';

/**
 * The read model against real Postgres: the service's migrations create it, the projection
 * writes a batch in one transaction, the queries read it back (an owner sees only their own).
 */
const infra = testInfra();
const schema = 'samples_rm';
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'samples-read-model');
  pool = new Pool({ connectionString: db.url, max: 2 });
  await migrateProjections(pool, samplesProjectorService.projections, {
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

const created = (sampleId: string, ownerId: string, title: string): SampleEvent => ({
  eventId: randomUUID(),
  streamId: sampleId,
  streamVersion: 1,
  occurredAt: at(),
  metadata,
  type: 'SampleCreated',
  schemaVersion: 1,
  data: { sampleId, ownerId, title },
});

const renamed = (sampleId: string, version: number, title: string): SampleEvent => ({
  eventId: randomUUID(),
  streamId: sampleId,
  streamVersion: version,
  occurredAt: at(),
  metadata,
  type: 'SampleRenamed',
  schemaVersion: 1,
  data: { sampleId, title },
});

async function apply(events: readonly SampleEvent[]): Promise<void> {
  const [projection] = samplesProjectorService.projections;
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

it("given alice's first and second sample, the first renamed, when she reads, then the queries show the latest titles and page in creation order", async () => {
  const [first, second] = [randomUUID(), randomUUID()];
  await apply([
    created(first, 'alice', 'First'),
    created(second, 'alice', 'Second'),
    renamed(first, 2, 'First, renamed'),
  ]);

  expect(await getSample(pool, schema, first, 'alice')).toMatchObject({
    sampleId: first,
    title: 'First, renamed',
    version: 2,
  });
  const page = await listSamples(pool, schema, 'alice', 1, undefined);
  expect(page.items.map((s) => s.sampleId)).toEqual([first]);
  expect(page.nextCursor).not.toBeNull();
  const next = await listSamples(
    pool,
    schema,
    'alice',
    1,
    decodeSamplesCursor(page.nextCursor ?? ''),
  );
  expect(next).toEqual({
    items: [expect.objectContaining({ sampleId: second })],
    nextCursor: null,
  });
});

it("given alice's sample, when bob reads it, then it is absent for him", async () => {
  const sampleId = randomUUID();
  await apply([created(sampleId, 'alice', 'Private')]);
  expect(await getSample(pool, schema, sampleId, 'bob')).toBeUndefined();
  expect((await listSamples(pool, schema, 'bob', 10, undefined)).items).toEqual([]);
});
