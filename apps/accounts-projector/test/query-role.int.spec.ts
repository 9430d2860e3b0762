import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createLogger } from '@cqrs/platform';
import { ensureReadOnlyRole, ensureServiceDatabase, testInfra } from '@cqrs/testing';
import {
  migrateProjections,
  waitForReadModel,
  type ProjectionsConfig,
} from '@cqrs/projector-service';
import { accountsProjectorService } from '../src/accounts-projector.service';

/**
 * The query side runs under its own read-only database role (compose: accounts_query; `pnpm
 * stack`: the same, provisioned by ensureReadOnlyRole). It may read what the projector creates,
 * now and after a rebuild swaps in a new schema, and may change nothing.
 */
const infra = testInfra();
const suffix = randomBytes(3).toString('hex');
const owner = `t_qrole_owner_${suffix}`;
const reader = `t_qrole_reader_${suffix}`;
const schema = 'accounts_rm';
const logger = createLogger({ service: 'query-role-test', level: 'silent' });
let ownerPool: Pool;
let readerPool: Pool;

const permissionDenied = { code: '42501' };
/** The service's projections in `readModelSchema` (topic and group do not matter to migrations). */
const projectionsConfig = (readModelSchema: string) => ({
  READ_MODEL_SCHEMA: readModelSchema,
  eventsTopic: 'unused',
  KAFKA_GROUP_ID: 'unused',
});
/** The service's migrations (topic and group do not matter to them). */
const migrate = (pool: Pool, config: ProjectionsConfig) =>
  migrateProjections(pool, accountsProjectorService.projections, config);

beforeAll(async () => {
  const ownerUrl = await ensureServiceDatabase(infra.databaseUrl, owner, `pw-${suffix}`);
  const readerUrl = await ensureReadOnlyRole(infra.databaseUrl, {
    database: owner,
    owner,
    role: reader,
    password: `pw-r-${suffix}`,
  });
  ownerPool = new Pool({ connectionString: ownerUrl, max: 2 });
  readerPool = new Pool({ connectionString: readerUrl, max: 2 });
});

afterAll(async () => {
  await readerPool.end();
  await ownerPool.end();
  const admin = new Client({ connectionString: infra.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${owner}" WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS "${reader}"`);
    await admin.query(`DROP ROLE IF EXISTS "${owner}"`);
  } finally {
    await admin.end();
  }
});

describe('the query role', () => {
  it('waits for the projector to create the read model, then reads it', async () => {
    let ready = false;
    const waiting = waitForReadModel(
      readerPool,
      schema,
      accountsProjectorService.readModelTables,
      logger,
      50,
    ).then(() => (ready = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ready).toBe(false); // nothing to read yet: it waits instead of failing

    await migrate(ownerPool, projectionsConfig(schema));
    await waiting;
    expect(ready).toBe(true);

    await ownerPool.query(
      `INSERT INTO ${schema}.accounts (account_id, owner_id, currency, balance, status, version, opened_at, updated_at)
       VALUES (gen_random_uuid(), 'alice', 'EUR', 5, 'open', 1, now(), now())`,
    );
    const { rows } = await readerPool.query(`SELECT owner_id FROM ${schema}.accounts`);
    expect(rows).toEqual([{ owner_id: 'alice' }]);
  });

  it('can change nothing: no writes, no DDL', async () => {
    await expect(
      readerPool.query(`UPDATE ${schema}.accounts SET balance = 0`),
    ).rejects.toMatchObject(permissionDenied);
    await expect(readerPool.query(`DELETE FROM ${schema}.projector_streams`)).rejects.toMatchObject(
      permissionDenied,
    );
    await expect(
      readerPool.query(`CREATE TABLE ${schema}.intruder (id int)`),
    ).rejects.toMatchObject(permissionDenied);
    await expect(readerPool.query('CREATE SCHEMA intruder')).rejects.toMatchObject(
      permissionDenied,
    );
  });

  it("reads a rebuild's new schema after the swap without new grants", async () => {
    const next = `${schema}_next`;
    await migrate(ownerPool, projectionsConfig(next));
    await ownerPool.query(
      `INSERT INTO ${next}.accounts (account_id, owner_id, currency, balance, status, version, opened_at, updated_at)
       VALUES (gen_random_uuid(), 'bob', 'EUR', 7, 'open', 1, now(), now())`,
    );
    // The swap the rebuild makes (libs/projections rebuild-projection): rename both schemas.
    await ownerPool.query(`ALTER SCHEMA ${schema} RENAME TO ${schema}_old`);
    await ownerPool.query(`ALTER SCHEMA ${next} RENAME TO ${schema}`);
    const { rows } = await readerPool.query(`SELECT owner_id FROM ${schema}.accounts`);
    expect(rows).toEqual([{ owner_id: 'bob' }]);
  });
});
