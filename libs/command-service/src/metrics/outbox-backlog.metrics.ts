import { Gauge, type Registry } from 'prom-client';
import type { OutboxBacklog } from '@cqrs/event-store';

/**
 * The outbox backlog as gauges, read at scrape time: events committed but not yet acknowledged
 * by Kafka, and the age of the oldest of them. A growing age is the first sign that the relay
 * is stuck (Kafka away, no leader) while commands are still being accepted.
 */
export function registerOutboxBacklogGauges(
  registry: Registry,
  read: () => Promise<OutboxBacklog>,
): void {
  let last: Promise<OutboxBacklog | undefined> | undefined;
  // One read per scrape for both gauges; a failed read (database away) leaves the values as
  // they were rather than failing the whole scrape.
  const current = (): Promise<OutboxBacklog | undefined> =>
    (last ??= read()
      .catch(() => undefined)
      .finally(() => (last = undefined)));
  new Gauge({
    name: 'outbox_pending_events',
    help: 'Events in the outbox, not yet acknowledged by Kafka',
    registers: [registry],
    async collect() {
      const backlog = await current();
      if (backlog) this.set(backlog.pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_age_seconds',
    help: 'Age of the oldest event in the outbox (0 when empty)',
    registers: [registry],
    async collect() {
      const backlog = await current();
      if (backlog) this.set(backlog.oldestAgeMs / 1000);
    },
  });
}
