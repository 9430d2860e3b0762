/**
 * The engine of `pnpm demo`: a scripted scenario through the gateway, with readable output.
 * A context's demo script passes its scenario; this part knows no context.
 *
 * Uses the stack at GATEWAY_URL (default http://127.0.0.1:8080, i.e. `pnpm stack` in another
 * terminal); if none answers there, boots a temporary stack of its own (built apps, local or
 * given infrastructure) and stops it afterwards.
 */
import { infraSettingsFromEnv } from '../infra/infra-settings';
import { resolveInfra } from '../infra/resolve-infra';
import { mintDevToken } from '../fixtures/dev-token';
import { TestStack } from '../fixtures/stack-processes';
import { DEV_JWT_SECRET } from '../cli/dev-secrets';

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string): string => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

export interface DemoAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

export interface DemoClient {
  /** Sends one request as `who` (a token subject) and prints it with its answer and timing. */
  call: (
    who: string,
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ) => Promise<DemoAnswer>;
  /** A numbered heading. */
  step: (title: string) => void;
  /** A dimmed remark under the last call. */
  note: (text: string) => void;
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

function demoClient(gateway: string, token: (sub: string) => string): DemoClient {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  return {
    call: async (who, method, path, options = {}) => {
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
      out(
        `${bold(`${who.padEnd(5)} ${method} ${path}`)} ${options.body ? JSON.stringify(options.body) : ''}`,
      );
      out(`      -> ${response.status} ${dim(`(${ms} ms)`)} ${JSON.stringify(body)}`);
      if (extra.length > 0) out(`      ${dim(extra.join('  '))}`);
      return { status: response.status, body, headers: response.headers };
    },
    step: (title) => out(`\n${bold(`== ${title}`)}`),
    note: (text) => out(dim(`      (${text})`)),
  };
}

async function run(scenario: (client: DemoClient) => Promise<void>): Promise<void> {
  const gateway = process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:8080';
  if (await reachable(gateway)) {
    process.stdout.write(`Using the stack at ${gateway}\n`);
    await scenario(demoClient(gateway, (sub) => mintDevToken(DEV_JWT_SECRET, sub)));
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
    await scenario(demoClient(stack.url, (sub) => stack.token(sub)));
  } finally {
    await stack.stop();
    await infra.stop();
  }
}

/** Runs the scenario against a stack and exits: 0 when it completed, 1 with the reason if not. */
export function runDemo(scenario: (client: DemoClient) => Promise<void>): void {
  run(scenario).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(
        `demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
