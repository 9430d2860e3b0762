import { Client } from 'pg';
import { createTestDatabase, testInfra, type TestDatabase } from '@cqrs/testing';

const { databaseUrl } = testInfra();
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(databaseUrl, 'pg-smoke');
});
afterAll(() => db.drop());

it('round-trips a row through its own database', async () => {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
    await client.query('INSERT INTO notes VALUES ($1, $2)', [1, 'hello']);
    const { rows } = await client.query<{ body: string; db: string }>(
      'SELECT body, current_database() AS db FROM notes WHERE id = 1',
    );
    expect(rows).toEqual([{ body: 'hello', db: db.name }]);
  } finally {
    await client.end();
  }
});

it('gives each test file a database nobody else sees', async () => {
  const other = await createTestDatabase(databaseUrl, 'pg-smoke');
  try {
    expect(other.name).not.toBe(db.name);
    const client = new Client({ connectionString: other.url });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('public.notes') AS t");
    await client.end();
    expect(rows[0]).toEqual({ t: null });
  } finally {
    await other.drop();
  }
});
