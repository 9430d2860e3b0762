import { Pool, type PoolConfig } from 'pg';

/** What the pool needs of a logger: pino's `warn` fits. */
export interface PoolErrorLog {
  warn: (obj: object, msg: string) => void;
}

/**
 * The one way services build a pg Pool. An idle pooled connection that the server closes (a
 * restart, a failover, `pg_terminate_backend`) makes the pool emit 'error'; without a listener
 * Node turns that into an uncaught exception and the whole process exits. The pool drops the
 * broken connection by itself and opens a new one on the next query, so logging is all there is
 * to do: the process survives and resumes when the database answers again.
 */
export function createPool(config: PoolConfig, log: PoolErrorLog, name = 'database'): Pool {
  const pool = new Pool({
    // Detect a dead server on an idle connection instead of waiting for the kernel's hours.
    keepAlive: true,
    ...config,
  });
  pool.on('error', (error) =>
    log.warn(
      { err: error.message, pool: name },
      'idle database connection lost; the pool replaces it',
    ),
  );
  return pool;
}
