import { Client } from 'pg';
import { withDatabase } from '../fixtures/test-database';

/**
 * The local twin of compose/postgres-init.sh: one login role and one database per service, the
 * role owning only its database. Idempotent, so every `pnpm stack` may call it.
 */
export async function ensureServiceDatabase(
  adminUrl: string,
  name: string,
  password: string,
): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
    if (role.rowCount === 0) {
      await admin
        .query(`SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS sql`, [
          name,
          password,
        ])
        .then((r) => admin.query((r.rows[0] as { sql: string }).sql));
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (db.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name}" OWNER "${name}"`);
      await admin.query(`REVOKE ALL ON DATABASE "${name}" FROM PUBLIC`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(withDatabase(adminUrl, name));
  url.username = name;
  url.password = password;
  return url.toString();
}
