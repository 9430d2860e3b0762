import { Pool, type PoolConfig } from 'pg';

/** What the pool needs of a logger: pino's `warn` fits. */
export interface PoolErrorLog {
  warn: (obj: object, msg: string) => void;
}

/**
 * The one way services build a pg Pool. A pooled connection that the server closes (a restart,
 * a failover, `pg_terminate_backend`) emits 'error': on the pool while the connection is idle,
 * and on the client itself while it is checked out between two queries (pg-pool listens only
 * to idle clients). Without a listener Node turns either into an uncaught exception and the
 * whole process exits. The failed query (or the next one on that client) rejects as well, the
 * caller handles that, and the pool drops the broken connection on release, so logging is all
 * there is to do here: the process survives and resumes when the database answers again.
 */
export function createPool(config: PoolConfig, log: PoolErrorLog, name = 'database'): Pool {
  const pool = new Pool({
    // Detect a dead server on an idle connection instead of waiting for the kernel's hours.
    keepAlive: true,
    ...config,
  });
  // Every client gets a listener for its whole life, idle or checked out; the pool re-emits an
  // idle client's error, which that listener has already logged.
  pool.on('connect', (client) =>
    client.on('error', (error) =>
      log.warn(
        { err: error.message, pool: name },
        'database connection lost; the pool replaces it',
      ),
    ),
  );
  pool.on('error', () => undefined);
  return pool;
}
