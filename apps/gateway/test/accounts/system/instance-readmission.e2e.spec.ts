import { testInfra, TestStack } from '@cqrs/testing';

/**
 * A killed and restarted command instance is back in rotation within 1 s of its first ready
 * answer, although healthy instances are probed only every 10 s: an ejected one is probed at
 * its own, short interval (HEALTH_CHECK_EJECTED_INTERVAL_MS, 250 ms by default).
 */
const infra = testInfra();
let stack: TestStack;

jest.setTimeout(180_000);

beforeAll(async () => {
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'readmission',
    // One instance: while it is out, every command is a 503, so the gap is visible.
    commandInstances: 1,
    env: { gateway: { HEALTH_CHECK_INTERVAL_MS: '10000', LOG_LEVEL: 'error' } },
  });
});
afterAll(() => stack?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 10 ms until it is true; resolves with the time it first was. */
async function firstTimeThat(check: () => Promise<boolean>, deadline: number): Promise<number> {
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return Date.now();
    await sleep(10);
  }
  throw new Error('not before the deadline');
}

it('re-admits a restarted command instance within 1 s of its first ready answer', async () => {
  const token = stack.token('readmission');
  const openAccount = async (): Promise<number> =>
    (
      await fetch(`${stack.url}/accounts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"currency":"EUR"}',
        signal: AbortSignal.timeout(5_000),
      })
    ).status;
  const figures: number[] = [];
  for (let round = 0; round < 2; round++) {
    const victim = stack.commands[0]!;
    await victim.stop('SIGKILL');
    // The gateway finds the instance gone and ejects it: commands fail (503, or 504 for one
    // sent on a kept-alive socket the kill had just closed).
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push(await openAccount());
    expect(statuses.every((s) => s === 503 || s === 504)).toBe(true);

    const deadline = Date.now() + 60_000;
    const restarted = stack.crashAndRestart(victim);
    const [readyAt, admittedAt] = await Promise.all([
      firstTimeThat(
        async () => (await fetch(`${victim.url}/health/ready`)).status === 200,
        deadline,
      ),
      firstTimeThat(async () => (await openAccount()) === 201, deadline),
    ]);
    await restarted;
    figures.push(admittedAt - readyAt);
  }
  console.log(
    `re-admission after the first ready answer: ${figures.map((ms) => `${ms} ms`).join(', ')}`,
  );
  for (const ms of figures) expect(ms).toBeLessThan(1_000);
});
