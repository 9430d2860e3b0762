import type { Pool } from 'pg';
import { outboxBacklog, type OutboxRelay } from '@cqrs/event-store';
import type { ReadinessCheck } from '@cqrs/platform';

/**
 * Readiness of a command service. Commands need only Postgres: they keep being accepted while
 * Kafka is away, until the oldest unpublished event is older than the bound; then the instance
 * reports not-ready so the gateway stops sending it writes no reader would see.
 */
export function commandReadinessChecks(
  pool: Pool,
  relay: OutboxRelay | undefined,
  outboxMaxAgeSeconds: number,
): Record<string, ReadinessCheck> {
  return {
    postgres: async () => void (await pool.query('SELECT 1')),
    outbox: async () => {
      const backlog = await outboxBacklog(pool);
      const status = relay?.status();
      const maxAgeMs = outboxMaxAgeSeconds * 1000;
      if (maxAgeMs > 0 && backlog.oldestAgeMs > maxAgeMs) {
        throw new Error(
          `oldest outbox event is ${Math.round(backlog.oldestAgeMs / 1000)} s old, above OUTBOX_MAX_AGE_SECONDS=${outboxMaxAgeSeconds}`,
        );
      }
      return {
        ...backlog,
        relay: status
          ? {
              leader: status.leader,
              published: status.published,
              lastError: status.lastError ?? null,
            }
          : 'disabled',
      };
    },
  };
}
