import { rebuildProjection, RebuildRefusedError } from '@cqrs/projections';
import { processProjection } from '../../src';
import { handoffProcess } from '../support/handoff-process.fixture';
import { quietLog } from '../support/process-testbed';

it('refuses to rebuild a process projection before touching Kafka or Postgres', async () => {
  // Neither is a client: any use of them would fail with a TypeError instead of the refusal.
  const rebuild = rebuildProjection({
    kafka: {} as never,
    pool: {} as never,
    topic: 'handoffs',
    groupId: 'handoffs',
    liveSchema: 'pm',
    projection: processProjection(handoffProcess()),
    decode: () => {
      throw new Error('not reached');
    },
    log: quietLog,
  });
  await expect(rebuild).rejects.toBeInstanceOf(RebuildRefusedError);
  await expect(rebuild).rejects.toMatchObject({
    code: 'REBUILD_REFUSED',
    projection: 'handoffs',
    message: expect.stringMatching(
      /^projection handoffs cannot be rebuilt: its rows drive commands/,
    ),
  });
});
