import { groupMembers, testInfra, TestStack } from '@cqrs/testing';
import {
  expectAllUp,
  expectBalancesMatch,
  report,
  startDrill,
  waitForProgressBeyond,
} from './recovery-drill';

/**
 * Recovery drill: the projector is SIGKILLed under load and started again at once. The read
 * model must move again within 10 s of the restart: the dead member's partitions are held only
 * for the group session timeout (6 s by default), and the new member joins right away.
 */
const infra = testInfra();

/** Time at which the process on `url` first answers /health/live. */
async function waitForLive(url: string): Promise<number> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const ok = await fetch(`${url}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return Date.now();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never answered /health/live`);
}
let stack: TestStack;

jest.setTimeout(180_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'recovery-projector',
    queryRole: true,
    env: { gateway: { RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_IP: '0' } },
  });
});

afterAll(async () => {
  await stack?.stop();
});

it('moves the read model again within 10 s of a SIGKILLed projector being restarted', async () => {
  const drill = await startDrill(stack);
  await new Promise((r) => setTimeout(r, 2_000));
  expect(drill.progress.length).toBeGreaterThan(0);

  const url = stack.projector.url;
  const members = await groupMembers(infra.kafkaBrokers, stack.group);
  expect(members).toHaveLength(1);
  await stack.projector.stop('SIGKILL');
  const killed = Date.now();
  const committed = await drill.checkpoint(); // all the killed process ever committed
  const restarted = Date.now();
  const restart = stack.crashAndRestart(stack.projector); // on the same port, at once
  // The broker's view: how long the dead member keeps its partitions (its session timeout).
  const released = (async () => {
    while ((await groupMembers(infra.kafkaBrokers, stack.group)).includes(members[0]!))
      await new Promise((r) => setTimeout(r, 100));
    return Date.now() - killed;
  })();
  const live = await waitForLive(url);
  const moved = await waitForProgressBeyond(drill, committed, restarted, 60_000);
  await restart;
  const handedOver = await released;
  report(
    `projector SIGKILL: the dead member left the group ${handedOver} ms after the kill; restarted process live after ${live - restarted} ms (boot), read model ` +
      `moved ${moved} ms after the restart, ${moved - (live - restarted)} ms after it was live`,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  await drill.stop();

  // The bounds cover what recovery controls (the group handing the partitions over, the new
  // member joining and applying), not how long node takes to boot on a loaded machine.
  expect(handedOver).toBeLessThan(10_000);
  expect(moved - (live - restarted)).toBeLessThan(10_000);
  expectAllUp(stack);
  expect(drill.refused).toEqual([]);
  await expectBalancesMatch(stack, drill);
});
