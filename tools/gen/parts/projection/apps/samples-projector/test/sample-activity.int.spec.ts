import { randomUUID } from 'node:crypto';
import type { SampleEvent } from '@cqrs/events';
import { migrateProjections, projectionSpecs } from '@cqrs/projector-service';
import { decide, evolve, initialState, type SampleCommand } from '@cqrs/samples-domain';
import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';
import { Pool } from 'pg';
import { getSampleActivity } from '../src/sample-activity/sample-activity.query';
import { samplesProjectorService } from '../src/samples-projector.service';

/**
 * The `sample_activity` read model against real Postgres (written by `pnpm gen projection`):
 * the service's migrations create it in its own schema, the projection writes a batch in one
 * transaction, and a redelivered batch changes nothing. The events are the decider's own, so
 * the test follows the context's commands and event versions.
 */
const infra = testInfra();
const config = { READ_MODEL_SCHEMA: 'samples_rm', eventsTopic: 'unused', KAFKA_GROUP_ID: 'unused' };
const spec = projectionSpecs(samplesProjectorService.projections, config).find(
  (s) => s.projection.name === 'sample_activity',
);
let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(infra.databaseUrl, 'sample-activity');
  pool = new Pool({ connectionString: db.url, max: 2 });
  await migrateProjections(pool, samplesProjectorService.projections, config);
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const metadata = { correlationId: 'c', causationId: 'c', actorId: 'alice' };
let clock = Date.parse('2025-01-01T00:00:00.000Z');

/** `commands` decided in turn on one stream, as the command service would store them. */
function history(sampleId: string, commands: readonly SampleCommand[]): SampleEvent[] {
  const events: SampleEvent[] = [];
  for (const command of commands) {
    const decision = decide(command, events.reduce(evolve, initialState()));
    if (!decision.ok) throw new Error(`${command.type}: ${decision.error.code}`);
    for (const event of decision.events) {
      events.push({
        ...event,
        eventId: randomUUID(),
        streamId: sampleId,
        streamVersion: events.length + 1,
        occurredAt: new Date((clock += 1_000)).toISOString(),
        metadata,
      });
    }
  }
  return events;
}

async function apply(events: readonly SampleEvent[]): Promise<void> {
  if (!spec) throw new Error('the service does not register the sample_activity projection');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await spec.projection.applyBatch(client, events, { schema: spec.schema });
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

it('given a sample created then renamed, when projected, then its row counts both and names the last', async () => {
  const sampleId = randomUUID();
  await apply(
    history(sampleId, [
      { type: 'CreateSample', sampleId, actorId: 'alice', ownerId: 'alice', title: 'First' },
      { type: 'RenameSample', sampleId, actorId: 'alice', title: 'Second' },
    ]),
  );
  expect(await getSampleActivity(pool, spec?.schema ?? '', sampleId)).toMatchObject({
    sampleId,
    events: 2,
    lastEventType: 'SampleRenamed',
    version: 2,
  });
});

it('given a projected batch, when it is delivered again, then the row is unchanged', async () => {
  const sampleId = randomUUID();
  const events = history(sampleId, [
    { type: 'CreateSample', sampleId, actorId: 'alice', ownerId: 'alice', title: 'Once' },
  ]);
  await apply(events);
  const first = await getSampleActivity(pool, spec?.schema ?? '', sampleId);
  await apply(events);
  expect(await getSampleActivity(pool, spec?.schema ?? '', sampleId)).toEqual(first);
  expect(first).toMatchObject({ events: 1, version: 1 });
});
