import { startPrivatePostgres, testInfra, TestStack, type PrivatePostgres } from '@cqrs/testing';
import {
  expectAllUp,
  expectBalancesMatch,
  report,
  startDrill,
  waitForFirstAfter,
} from './recovery-drill';

/**
 * Recovery drill: PostgreSQL is restarted (`pg_ctl restart -m fast`, which terminates every
 * session) under load, on a cluster of the test's own. Every process stays up (command service,
 * projector, query role, gateway) and commands, queries and the read model resume within 10 s
 * of the database accepting connections again; balances equal the accepted commands.
 */
const infra = testInfra();
let postgres: PrivatePostgres;
let stack: TestStack;

jest.setTimeout(180_000);

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  stack = await TestStack.start({
    kafkaBrokers: infra.kafkaBrokers,
    adminDatabaseUrl: postgres.url,
    label: 'recovery-database',
    queryRole: true,
    env: { gateway: { RATE_LIMIT_PER_SUBJECT: '0', RATE_LIMIT_PER_IP: '0' } },
  });
});

afterAll(async () => {
  await stack?.stop();
  await postgres?.destroy();
});

it('keeps every service up through a database restart and resumes within 10 s', async () => {
  const drill = await startDrill(stack);
  await new Promise((r) => setTimeout(r, 2_000));
  expect(drill.progress.length).toBeGreaterThan(0);

  const down = Date.now();
  await postgres.restart(); // resolves once the server accepts connections again
  const back = Date.now();
  const [command, query, readModel] = await Promise.all([
    waitForFirstAfter(drill.acceptedAt, back, 30_000),
    waitForFirstAfter(drill.queryOks, back, 30_000),
    waitForFirstAfter(drill.progress, back, 30_000),
  ]);
  report(
    `database restart: ${back - down} ms; after it answered: commands ${command} ms, ` +
      `queries ${query} ms, read model ${readModel} ms`,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  await drill.stop();
  report(`deposit attempts by answer: ${JSON.stringify(drill.attempts)}`);
  expectAllUp(stack);
  expect(drill.refused).toEqual([]);
  expect(Math.max(command, query, readModel)).toBeLessThan(10_000);
  await expectBalancesMatch(stack, drill);
});
