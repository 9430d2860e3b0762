import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { runMigrations } from '@cqrs/platform';
import { eventStoreMigrations, type PendingEvent } from '@cqrs/event-store';
import { createTestDatabase, type TestDatabase } from '@cqrs/testing';

export interface EventStoreFixture {
  db: TestDatabase;
  pool: Pool;
  close: () => Promise<void>;
}

/** A migrated event-store database of the test file's own. */
export async function eventStoreDatabase(
  adminUrl: string,
  label: string,
): Promise<EventStoreFixture> {
  const db = await createTestDatabase(adminUrl, label);
  const pool = new Pool({ connectionString: db.url, max: 12 });
  await runMigrations(pool, eventStoreMigrations);
  return {
    db,
    pool,
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

export function pendingEvent(data: object = { n: 1 }, type = 'TestHappened'): PendingEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), actorId: 'tester' },
    occurredAt: new Date().toISOString(),
  };
}
