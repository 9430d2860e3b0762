import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ChunkResult, ProjectorObserver } from '../runtime/projector-observer';
import type { ProjectionStatusReader } from './projection-status';

/**
 * Prometheus view of a projector: counters from the runtime's hot path, gauges (checkpoint,
 * high watermark, lag, dead letters) collected from the status reader at scrape time.
 */
export class ProjectorMetrics implements ProjectorObserver {
  private readonly events: Counter<'projection' | 'partition' | 'outcome'>;
  private readonly chunkSeconds: Histogram<'projection'>;

  constructor(
    registry: Registry,
    private readonly projection: string,
    status: ProjectionStatusReader,
  ) {
    this.events = new Counter({
      name: 'projector_events_total',
      help: 'Events handled by this instance, by outcome (applied, skipped, dead_lettered, parked)',
      labelNames: ['projection', 'partition', 'outcome'],
      registers: [registry],
    });
    this.chunkSeconds = new Histogram({
      name: 'projector_chunk_duration_seconds',
      help: 'Time to apply one chunk in one transaction, commit included',
      labelNames: ['projection'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    const gauge = (
      name: string,
      help: string,
      pick: (p: {
        checkpoint: string | null;
        highWatermark: string;
        lag: number;
        deadLetters: number;
      }) => number,
    ): void => {
      new Gauge({
        name,
        help,
        labelNames: ['projection', 'partition'],
        registers: [registry],
        async collect() {
          const current = await status.read().catch(() => undefined);
          this.reset();
          for (const p of current?.partitions ?? []) {
            this.set({ projection, partition: String(p.partition) }, pick(p));
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
  }

  recordChunk(partition: number, result: ChunkResult, startedNs: bigint): void {
    const labels = { projection: this.projection, partition: String(partition) };
    this.events.inc({ ...labels, outcome: 'applied' }, result.applied);
    this.events.inc({ ...labels, outcome: 'skipped' }, result.skipped);
    this.events.inc({ ...labels, outcome: 'dead_lettered' }, result.deadLettered);
    this.events.inc({ ...labels, outcome: 'parked' }, result.parked);
    this.chunkSeconds.observe(
      { projection: this.projection },
      Number(process.hrtime.bigint() - startedNs) / 1e9,
    );
  }
}
