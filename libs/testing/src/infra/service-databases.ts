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
  return loginUrl(adminUrl, name, name, password);
}

/**
 * The local twin of compose/postgres-init.sh's READ_ONLY_ROLES: a login role that may read what
 * `owner` creates in `database` and nothing else (the query side of a projector). Default
 * privileges cover the schemas and tables the owner creates later (migrations, a rebuild's new
 * schema); grants on what exists already cover a database from an earlier run. Idempotent.
 */
export async function ensureReadOnlyRole(
  adminUrl: string,
  options: { database: string; owner: string; role: string; password: string },
): Promise<string> {
  const { database, owner, role, password } = options;
  const admin = new Client({ connectionString: withDatabase(adminUrl, database) });
  await admin.connect();
  const run = async (template: string, ...names: string[]) => {
    const { rows } = await admin.query<{ sql: string }>(
      `SELECT format('${template}', ${names.map((_, i) => `$${i + 1}::text`).join(', ')}) AS sql`,
      names,
    );
    await admin.query(rows[0]!.sql);
  };
  try {
    const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (exists.rowCount === 0) await run('CREATE ROLE %I LOGIN PASSWORD %L', role, password);
    await run('GRANT CONNECT ON DATABASE %I TO %I', database, role);
    await run('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT USAGE ON SCHEMAS TO %I', owner, role);
    await run('ALTER DEFAULT PRIVILEGES FOR ROLE %I GRANT SELECT ON TABLES TO %I', owner, role);
    const { rows } = await admin.query<{ schema: string }>(
      `SELECT nspname AS schema FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
        WHERE r.rolname = $1`,
      [owner],
    );
    for (const { schema } of rows) {
      await run('GRANT USAGE ON SCHEMA %I TO %I', schema, role);
      await run('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', schema, role);
    }
  } finally {
    await admin.end();
  }
  return loginUrl(adminUrl, database, role, password);
}

/** The admin URL's server, as `role` on `database`. */
function loginUrl(adminUrl: string, database: string, role: string, password: string): string {
  const url = new URL(withDatabase(adminUrl, database));
  url.username = role;
  url.password = password;
  return url.toString();
}
