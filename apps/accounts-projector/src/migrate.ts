import { createLogger, createPool } from '@cqrs/platform';
import { loadConfig } from './config/accounts-projector.config';
import { migrate } from './wiring/projector.wiring';

/**
 * node dist/migrate.js: applies every pending migration of the service's schemas (per
 * projection: the runtime's tables, then the read model) and exits, for a deployment job that
 * runs before the new version starts. The service runs the same migrations on boot; both are
 * serialised per schema, so running both is safe. Same environment as the service.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ service: 'accounts-projector-migrate', level: config.LOG_LEVEL });
  const pool = createPool({ connectionString: config.DATABASE_URL, max: 2 }, logger);
  try {
    const applied = await migrate(pool, config);
    process.stdout.write(`${JSON.stringify({ applied })}\n`);
  } finally {
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `migrate failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
