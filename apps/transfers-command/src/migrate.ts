import { migrateEventStore } from '@cqrs/command-service';
import { loadConfig } from './config/transfers-command.config';

/**
 * `node dist/migrate.js`: applies the event-store migrations and exits, for a deployment job
 * that runs before the new version's instances start.
 */
migrateEventStore(loadConfig(process.env)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `transfers-command migrate failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
