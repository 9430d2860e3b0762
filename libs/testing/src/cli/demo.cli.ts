/**
 * pnpm demo: a short scripted scenario through the gateway, with readable output.
 *
 * Uses the stack at GATEWAY_URL (default http://127.0.0.1:8080, i.e. `pnpm stack` in another
 * terminal); if none answers there, boots a temporary stack of its own (built apps, local or
 * given infrastructure) and stops it afterwards.
 */
import { randomUUID } from 'node:crypto';
import { infraSettingsFromEnv } from '../infra/infra-settings';
import { resolveInfra } from '../infra/resolve-infra';
import { mintDevToken } from '../fixtures/dev-token';
import { TestStack } from '../fixtures/stack-processes';
import { DEV_JWT_SECRET } from './dev-secrets';

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string): string => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

async function scenario(gateway: string, token: (sub: string) => string): Promise<void> {
  const call = async (
    who: string,
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const started = performance.now();
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token(who)}`,
        ...(options.body ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    const body = (await response.json()) as Record<string, unknown>;
    const ms = (performance.now() - started).toFixed(1);
    const extra = [...response.headers]
      .filter(([h]) => ['x-consistency-token', 'x-consistency', 'etag'].includes(h))
      .map(([h, v]) => `${h}: ${v.length > 24 ? `${v.slice(0, 24)}...` : v}`);
    process.stdout.write(
      `${bold(`${who.padEnd(5)} ${method} ${path}`)} ${options.body ? JSON.stringify(options.body) : ''}\n`,
    );
    process.stdout.write(
      `      -> ${response.status} ${dim(`(${ms} ms)`)} ${JSON.stringify(body)}\n`,
    );
    if (extra.length > 0) process.stdout.write(`      ${dim(extra.join('  '))}\n`);
    return { status: response.status, body, headers: response.headers };
  };
  const step = (title: string): void => void process.stdout.write(`\n${bold(`== ${title}`)}\n`);

  // A client names each money-moving command with a fresh key and reuses it only to retry.
  const key = (): string => randomUUID();
  const depositKey = key();
  step('1. Alice opens an account and deposits (commands -> event store -> outbox -> Kafka)');
  const opened = await call('alice', 'POST', '/accounts', { body: { currency: 'EUR' } });
  const id = opened.body['accountId'] as string;
  const deposit = await call('alice', 'POST', `/accounts/${id}/deposits`, {
    body: { amount: 2500 },
    headers: { 'idempotency-key': depositKey },
  });

  step('2. Read-your-writes: the query carries the consistency token, so it sees the deposit');
  await call('alice', 'GET', `/accounts/${id}`, {
    headers: { 'x-consistency-token': deposit.body['consistencyToken'] as string },
  });

  step('3. Business rules and idempotency (money moves only with an Idempotency-Key)');
  await call('alice', 'POST', `/accounts/${id}/withdrawals`, { body: { amount: 1 } });
  process.stdout.write(
    dim('      (no Idempotency-Key on a money-moving command: 400, nothing applied)\n'),
  );
  await call('alice', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 99_999 },
    headers: { 'idempotency-key': key() },
  });
  await call('alice', 'POST', `/accounts/${id}/deposits`, {
    body: { amount: 2500 },
    headers: { 'idempotency-key': depositKey },
  });
  process.stdout.write(
    dim('      (same key, same body: the first outcome again, nothing appended)\n'),
  );
  await call('alice', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 1000 },
    headers: { 'if-match': '"1"', 'idempotency-key': key() },
  });
  process.stdout.write(dim('      (If-Match names a stale version: 412)\n'));

  step('4. Ownership: Bob cannot see or touch Alice’s account');
  await call('bob', 'GET', `/accounts/${id}`);
  await call('bob', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 1 },
    headers: { 'idempotency-key': key() },
  });

  step('5. The ledger as Alice sees it');
  const withdrawal = await call('alice', 'POST', `/accounts/${id}/withdrawals`, {
    body: { amount: 1000 },
    headers: { 'idempotency-key': key() },
  });
  await call('alice', 'GET', `/accounts/${id}/transactions`, {
    headers: { 'x-consistency-token': withdrawal.body['consistencyToken'] as string },
  });
  await call('alice', 'GET', '/accounts?limit=5', {
    headers: { 'x-consistency-token': withdrawal.body['consistencyToken'] as string },
  });
}

async function main(): Promise<void> {
  const gateway = process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:8080';
  if (await reachable(gateway)) {
    process.stdout.write(`Using the stack at ${gateway}\n`);
    await scenario(gateway, (sub) => mintDevToken(DEV_JWT_SECRET, sub));
    return;
  }
  process.stdout.write(
    `No stack at ${gateway}; starting a temporary one (pnpm stack keeps one running)...\n`,
  );
  const log = (m: string): void => void process.stderr.write(dim(`[infra] ${m}\n`));
  const infra = await resolveInfra(infraSettingsFromEnv(process.env), log);
  const stack = await TestStack.start({
    kafkaBrokers: infra.kafka.brokers,
    adminDatabaseUrl: infra.postgres.url,
    label: 'demo',
  });
  try {
    await scenario(stack.url, (sub) => stack.token(sub));
  } finally {
    await stack.stop();
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
