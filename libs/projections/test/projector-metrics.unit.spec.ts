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
        parkedStreams: 0,
        parkedEvents: 0,
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
