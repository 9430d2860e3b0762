/**
 * pnpm bench:gateway  [SECONDS=8 ROUNDS=3 CLIENTS=32 STACK_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"]
 *
 * The gateway's own cost, without the rest of the stack's noise: the built gateway as a real
 * process in front of a minimal local HTTP upstream that answers every command at once with a
 * fixed contract-shaped body. Closed-loop clients send authenticated deposits (JWT, validation,
 * forwarding, answer passed back). Reports requests/s and the gateway process's CPU time per
 * request (user + system, from /proc), the figure the whole-stack overhead in bench:e2e is
 * made of. The upstream is a stand-in on purpose: this measures the gateway alone, the
 * services are measured by bench:commands and bench:e2e. Writes bench-results/gateway.json.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  machineFactRows,
  mintDevToken,
  probeMachineFacts,
  processCpuMs,
  startService,
  writeResults,
} from '@cqrs/testing';

const SECONDS = Number(process.env['SECONDS'] ?? 8);
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);
const CLIENTS = Number(process.env['CLIENTS'] ?? 32);
const SECRET = 'bench-gateway-secret-0123456789abcdef';
const INTERNAL_TOKEN = 'bench-gateway-internal-token-0123';
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);

const cpuMs = (pid: number): number => {
  const ms = processCpuMs(pid);
  if (ms === undefined) throw new Error('cannot read the gateway process CPU time from /proc');
  return ms;
};

async function stubUpstream(): Promise<{ url: string; close: () => void }> {
  const body = JSON.stringify({ accountId: randomUUID(), version: 3, consistencyToken: 'x' });
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'x-consistency-token': 'x',
        etag: '"3"',
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function main(): Promise<void> {
  const upstream = await stubUpstream();
  const gateway = await startService(
    'gateway',
    {
      INTERNAL_TOKEN,
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      ACCOUNTS_COMMAND_UPSTREAMS: upstream.url,
      ACCOUNTS_QUERY_UPSTREAMS: upstream.url,
      RATE_LIMIT_PER_SUBJECT: '0',
      RATE_LIMIT_PER_IP: '0',
    },
    { nodeArgs: process.env['STACK_NODE_ARGS']?.split(' ').filter(Boolean) },
  );
  const pid = gateway.child.pid;
  if (pid === undefined) throw new Error('the gateway process has no pid');
  const target = new URL(gateway.url);
  const authorization = `Bearer ${mintDevToken(SECRET, 'bench')}`;
  const payload = '{"amount":1}';
  const deposit = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: `/accounts/${randomUUID()}/deposits`,
          method: 'POST',
          agent,
          headers: {
            authorization,
            'content-type': 'application/json',
            'content-length': payload.length,
            'idempotency-key': randomUUID(),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(payload);
    });

  try {
    log('measuring the machine facts that decide the figures...');
    const facts = await probeMachineFacts({});
    log('warming up (2,000 requests)...');
    for (let i = 0; i < 2_000; i++) {
      const status = await deposit();
      if (status !== 200) throw new Error(`warm-up request answered ${status}`);
    }
    const rounds: { perSecond: number; cpuMicrosPerRequest: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      log(`round ${round}/${ROUNDS}: ${CLIENTS} clients for ${SECONDS} s...`);
      let done = 0;
      const cpuBefore = cpuMs(pid);
      const started = performance.now();
      const deadline = started + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (performance.now() < deadline) {
            await deposit();
            done++;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      rounds.push({
        perSecond: Math.round(done / elapsed),
        cpuMicrosPerRequest: Math.round(((cpuMs(pid) - cpuBefore) / done) * 1000),
      });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const results = {
      facts,
      clients: CLIENTS,
      seconds: SECONDS,
      rounds,
      medianPerSecond: median(rounds.map((r) => r.perSecond)),
      medianCpuMicrosPerRequest: median(rounds.map((r) => r.cpuMicrosPerRequest)),
    };
    const file = writeResults('gateway', results);
    process.stdout.write(
      [
        '',
        ...machineFactRows(facts),
        '',
        `| gateway alone, ${CLIENTS} clients, stub upstream | requests/s | gateway CPU µs per request |`,
        '| --- | --- | --- |',
        ...rounds.map((r, i) => `| round ${i + 1} | ${r.perSecond} | ${r.cpuMicrosPerRequest} |`),
        `| median | ${results.medianPerSecond} | ${results.medianCpuMicrosPerRequest} |`,
        '',
        `results: ${file}`,
        '',
      ].join('\n'),
    );
  } finally {
    await gateway.stop('SIGTERM');
    upstream.close();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
