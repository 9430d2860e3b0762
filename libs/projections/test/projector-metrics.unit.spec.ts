import { Registry } from 'prom-client';
import { ProjectorMetrics, type ProjectionStatus, type ProjectionStatusReader } from '../src';

/** Several named projections in one process report through one registry, by label. */
const statusOf = (projection: string, lag: number): ProjectionStatusReader =>
  ({
    read: (): Promise<ProjectionStatus> =>
      Promise.resolve({
        projection,
        topic: 't',
        schema: 's',
        partitions: [{ partition: 0, checkpoint: '1', highWatermark: '5', lag, deadLetters: 0 }],
        totalLag: lag,
        deadLetters: 0,
        parkedStreams: lag > 5 ? 1 : 0,
        parkedEvents: lag > 5 ? 4 : 0,
        readAt: new Date(0).toISOString(),
      }),
  }) as unknown as ProjectionStatusReader;

it('registers the metrics once and labels each projection', async () => {
  const registry = new Registry();
  const alpha = new ProjectorMetrics(registry, 'alpha', statusOf('alpha', 3));
  const beta = new ProjectorMetrics(registry, 'beta', statusOf('beta', 7));
  const result = { applied: 2, skipped: 0, deadLettered: 0, parked: 0 };
  alpha.recordChunk(0, result, process.hrtime.bigint());
  beta.recordChunk(1, result, process.hrtime.bigint());

  const text = await registry.metrics();
  expect(text).toContain('projector_lag_events{projection="alpha",partition="0"} 3');
  expect(text).toContain('projector_lag_events{projection="beta",partition="0"} 7');
  expect(text).toContain(
    'projector_events_total{projection="beta",partition="1",outcome="applied"} 2',
  );
});

it('reports parked streams and events per projection, and the apply lag from record timestamps', async () => {
  const registry = new Registry();
  const alpha = new ProjectorMetrics(registry, 'alpha', statusOf('alpha', 3));
  new ProjectorMetrics(registry, 'beta', statusOf('beta', 7));
  const result = { applied: 1, skipped: 0, deadLettered: 0, parked: 0 };
  alpha.recordChunk(0, result, process.hrtime.bigint(), Date.now() - 1_500);
  alpha.recordChunk(0, result, process.hrtime.bigint()); // no timestamp: not observed

  const text = await registry.metrics();
  expect(text).toContain('projector_parked_streams{projection="alpha"} 0');
  expect(text).toContain('projector_parked_streams{projection="beta"} 1');
  expect(text).toContain('projector_parked_events{projection="beta"} 4');
  expect(text).toContain('projector_apply_lag_seconds_count{projection="alpha"} 1');
  expect(text).toContain('projector_apply_lag_seconds_bucket{le="1",projection="alpha"} 0');
  expect(text).toContain('projector_apply_lag_seconds_bucket{le="2.5",projection="alpha"} 1');
});
