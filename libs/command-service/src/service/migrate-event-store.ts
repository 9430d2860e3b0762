import { eventStoreMigrations } from '@cqrs/event-store';
import { createLogger, createPool, runMigrations } from '@cqrs/platform';
import type { CommandServiceConfig } from '../config/command-service.config';

/**
 * Applies the event-store migrations and returns the names applied: the deployment job that
 * runs before new instances start (they migrate on boot too; migrations take a lock, so both
 * are safe together).
 */
export async function migrateEventStore(
  config: Pick<CommandServiceConfig, 'DATABASE_URL' | 'LOG_LEVEL' | 'service'>,
): Promise<string[]> {
  const log = createLogger({ service: `${config.service}-migrate`, level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 1 }, log);
  try {
    const applied = await runMigrations(pool, eventStoreMigrations);
    log.info({ applied }, applied.length > 0 ? 'migrations applied' : 'schema up to date');
    return applied;
  } finally {
    await pool.end();
  }
}
