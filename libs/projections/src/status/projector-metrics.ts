import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChunkResult, ProjectorObserver } from '../runtime/projector-observer';
import type {
  PartitionStatus,
  ProjectionStatus,
  ProjectionStatusReader,
} from './projection-status';

/** The metrics of every projection of one registry: a metric name registers once. */
interface RegistryMetrics {
  events: Counter<'projection' | 'partition' | 'outcome'>;
  chunkSeconds: Histogram<'projection'>;
  applyLagSeconds: Histogram<'projection'>;
  statuses: Map<string, ProjectionStatusReader>;
}

const byRegistry = new WeakMap<Registry, RegistryMetrics>();

function metricsOf(registry: Registry): RegistryMetrics {
  const existing = byRegistry.get(registry);
  if (existing !== undefined) return existing;
  const statuses = new Map<string, ProjectionStatusReader>();
  const gauge = (name: string, help: string, pick: (p: PartitionStatus) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['projection', 'partition'],
      registers: [registry],
      async collect() {
        const all = await Promise.all(
          [...statuses].map(async ([projection, status]) => ({
            projection,
            current: await status.read().catch(() => undefined),
          })),
        );
        this.reset();
        for (const { projection, current } of all) {
          for (const p of current?.partitions ?? []) {
            this.set({ projection, partition: String(p.partition) }, pick(p));
          }
        }
      },
    });
  };
  gauge('projector_checkpoint_offset', 'Next offset to apply, per partition', (p) =>
    Number(p.checkpoint ?? 0),
  );
  gauge('projector_high_watermark_offset', 'Broker high watermark, per partition', (p) =>
    Number(p.highWatermark),
  );
  gauge('projector_lag_events', 'High watermark minus checkpoint, per partition', (p) => p.lag);
  gauge(
    'projector_dead_letters',
    'Dead letters not replayed yet, per partition',
    (p) => p.deadLetters,
  );
  // Per projection, from the status reader at scrape time, like the gauges above.
  const projectionGauge = (name: string, help: string, pick: (s: ProjectionStatus) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['projection'],
      registers: [registry],
      async collect() {
        const all = await Promise.all(
          [...statuses].map(async ([projection, status]) => ({
            projection,
            current: await status.read().catch(() => undefined),
          })),
        );
        this.reset();
        for (const { projection, current } of all)
          if (current) this.set({ projection }, pick(current));
      },
    });
  projectionGauge(
    'projector_parked_streams',
    'Streams parked behind a dead letter, waiting for a replay',
    (s) => s.parkedStreams,
  );
  projectionGauge(
    'projector_parked_events',
    'Events held behind parked streams',
    (s) => s.parkedEvents,
  );
  const metrics: RegistryMetrics = {
    events: new Counter({
      name: 'projector_events_total',
      help: 'Events handled by this instance, by outcome (applied, skipped, dead_lettered, parked)',
      labelNames: ['projection', 'partition', 'outcome'],
      registers: [registry],
    }),
    chunkSeconds: new Histogram({
      name: 'projector_chunk_duration_seconds',
      help: 'Time to apply one chunk in one transaction, commit included',
      labelNames: ['projection'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    applyLagSeconds: new Histogram({
      name: 'projector_apply_lag_seconds',
      help:
        "Seconds from a chunk's oldest event reaching Kafka (its record timestamp, set when the " +
        'outbox relay produced it) to the commit that applied it',
      labelNames: ['projection'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
      registers: [registry],
    }),
    statuses,
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

/**
 * Prometheus view of a projector: counters from the runtime's hot path, gauges (checkpoint,
 * high watermark, lag, dead letters) collected from the status reader at scrape time. Several
 * projections of one process share the metrics, told apart by the `projection` label.
 */
export class ProjectorMetrics implements ProjectorObserver {
  private readonly metrics: RegistryMetrics;

  constructor(
    registry: Registry,
    private readonly projection: string,
    status: ProjectionStatusReader,
  ) {
    this.metrics = metricsOf(registry);
    this.metrics.statuses.set(projection, status);
  }

  recordChunk(
    partition: number,
    result: ChunkResult,
    startedNs: bigint,
    oldestTimestampMs?: number,
  ): void {
    const labels = { projection: this.projection, partition: String(partition) };
    const { events } = this.metrics;
    events.inc({ ...labels, outcome: 'applied' }, result.applied);
    events.inc({ ...labels, outcome: 'skipped' }, result.skipped);
    events.inc({ ...labels, outcome: 'dead_lettered' }, result.deadLettered);
    events.inc({ ...labels, outcome: 'parked' }, result.parked);
    this.metrics.chunkSeconds.observe(
      { projection: this.projection },
      Number(process.hrtime.bigint() - startedNs) / 1e9,
    );
    if (oldestTimestampMs !== undefined)
      this.metrics.applyLagSeconds.observe(
        { projection: this.projection },
        Math.max(0, Date.now() - oldestTimestampMs) / 1000,
      );
  }
}
