import { startRestartableKafka, testInfra, TestStack, type RestartableKafka } from '@cqrs/testing';
import {
  expectAllUp,
  expectBalancesMatch,
  report,
  startDrill,
  waitForFirstAfter,
} from './recovery-drill';

/**
 * Recovery drill: a broker of the test's own is restarted under load (the shared one is never
 * touched). Commands keep being accepted meanwhile (the outbox holds them); once the broker
 * answers again the read model must move within 10 s: the relay and the projector's consumer
 * retry at most about a second apart and restart at once after giving up.
 */
const infra = testInfra();
let kafka: RestartableKafka;
let stack: TestStack;

jest.setTimeout(180_000);

beforeAll(async () => {
  kafka = await startRestartableKafka();
  stack = await TestStack.start({
    kafkaBrokers: kafka.brokers,
    adminDatabaseUrl: infra.databaseUrl,
    label: 'recovery-broker',
    queryRole: true,
    env: { gateway: { RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_IP: '0' } },
  });
});

afterAll(async () => {
  await stack?.stop();
  await kafka?.destroy();
});

it('moves the read model again within 10 s of a restarted broker answering', async () => {
  const drill = await startDrill(stack);
  await new Promise((r) => setTimeout(r, 2_000));
  expect(drill.progress.length).toBeGreaterThan(0);

  const down = Date.now();
  await kafka.stop();
  await new Promise((r) => setTimeout(r, 3_000));
  await kafka.start(); // resolves once the broker answers a metadata request
  const answering = Date.now();
  const moved = await waitForFirstAfter(drill.progress, answering, 60_000);
  report(
    `broker restart: down ${answering - down} ms, read model moved ${moved} ms after the broker answered again`,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  await drill.stop();

  expect(moved).toBeLessThan(10_000);
  expectAllUp(stack);
  expect(drill.refused).toEqual([]);
  await expectBalancesMatch(stack, drill);
});
