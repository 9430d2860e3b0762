import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TestStack } from '@cqrs/testing';
import { apiClient, untilDefinitive, type Api, type ApiReply } from './system-client';

/**
 * What the recovery drills share: steady load through the gateway (keyed deposits, retried with
 * the same key until a definitive answer, so each is applied once whatever the faults), a query
 * loop, and a probe of the read model's progress (the projector's checkpoints), all timestamped
 * so a drill can tell when each moved again after its fault.
 */
export interface Accepted {
  accountId: string;
  amount: number;
  version: number;
  consistencyToken: string;
  at: number;
}

export interface Drill {
  accounts: string[];
  accepted: Accepted[];
  /** Every answer (status and code) or transport error the deposit attempts met, counted. */
  attempts: Record<string, number>;
  /** Deposits answered with a definitive refusal (status and code), e.g. after a retry. */
  refused: string[];
  /** Times of the accepted deposits (a live array, as the others). */
  acceptedAt: number[];
  /** Times of the query answers with status 200. */
  queryOks: number[];
  /** Times at which the read model's total checkpoint was seen to grow. */
  progress: number[];
  /** The read model's total checkpoint (offsets applied, all partitions) at those times. */
  checkpoints: number[];
  /** The total checkpoint now, read from the database. */
  checkpoint: () => Promise<number>;
  stop: () => Promise<void>;
}

const OWNER = 'drill';
const CHECKPOINT_SQL = 'SELECT sum(next_offset)::text AS n FROM accounts_rm.projector_checkpoints';

export async function startDrill(
  stack: TestStack,
  options: { clients?: number; accounts?: number } = {},
): Promise<Drill> {
  const api: Api = apiClient(stack.url, stack.token(OWNER));
  const accounts: string[] = [];
  for (let i = 0; i < (options.accounts ?? 8); i++) {
    const r = await untilDefinitive(() =>
      api('POST', '/accounts', {
        body: { currency: 'EUR' },
        headers: { 'idempotency-key': randomUUID() },
      }),
    );
    if (r.status !== 201) throw new Error(`open account: ${r.status} ${JSON.stringify(r.body)}`);
    accounts.push(r.body.accountId as string);
  }
  const checkpoint = async (): Promise<number> => {
    const sql = new Client({ connectionString: stack.projectorDb.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ n: string | null }>(CHECKPOINT_SQL);
      return Number(rows[0]?.n ?? 0);
    } finally {
      await sql.end();
    }
  };
  const drill: Drill = {
    accounts,
    accepted: [],
    refused: [],
    acceptedAt: [],
    attempts: {},
    queryOks: [],
    progress: [],
    checkpoints: [],
    checkpoint,
    stop: async () => {},
  };
  let running = true;
  const pick = (): string => accounts[Math.floor(Math.random() * accounts.length)]!;

  const commands = Array.from({ length: options.clients ?? 6 }, async () => {
    while (running) {
      const accountId = pick();
      const amount = 1 + Math.floor(Math.random() * 100);
      const key = randomUUID();
      const reply: ApiReply = await untilDefinitive(async () => {
        const r = await api('POST', `/accounts/${accountId}/deposits`, {
          body: { amount },
          headers: { 'idempotency-key': key },
          timeoutMs: 5_000,
        }).catch((error: unknown) => {
          drill.attempts[String(error)] = (drill.attempts[String(error)] ?? 0) + 1;
          throw error;
        });
        const seen = `${r.status} ${String(r.body?.code ?? '')}`;
        drill.attempts[seen] = (drill.attempts[seen] ?? 0) + 1;
        return r;
      }, 120_000);
      if (reply.status !== 200) {
        drill.refused.push(`${reply.status} ${String(reply.body?.code ?? reply.body)}`);
        continue;
      }
      drill.accepted.push({
        accountId,
        amount,
        version: reply.body.version as number,
        consistencyToken: reply.body.consistencyToken as string,
        at: Date.now(),
      });
      drill.acceptedAt.push(Date.now());
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  const queries = (async () => {
    while (running) {
      const r = await api('GET', `/accounts/${pick()}`, { timeoutMs: 3_000 }).catch(() => null);
      if (r?.status === 200) drill.queryOks.push(Date.now());
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const probe = (async () => {
    let last = -1;
    let sql: Client | undefined;
    while (running) {
      try {
        if (!sql) {
          const client = new Client({ connectionString: stack.projectorDb.url });
          client.on('error', () => undefined); // the drill restarts the database on purpose
          await client.connect();
          sql = client;
        }
        const { rows } = await sql.query<{ n: string | null }>(CHECKPOINT_SQL);
        const now = Number(rows[0]?.n ?? 0);
        if (now > last) {
          if (last >= 0) {
            drill.progress.push(Date.now());
            drill.checkpoints.push(now);
          }
          last = now;
        }
      } catch {
        await sql?.end().catch(() => undefined);
        sql = undefined;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await sql?.end().catch(() => undefined);
  })();

  drill.stop = async () => {
    running = false;
    await Promise.all([...commands, queries, probe]);
  };
  return drill;
}

/** Milliseconds from `t0` to the first time in `times` after it (Infinity: never). */
export function firstAfter(times: readonly number[], t0: number): number {
  const next = times.find((t) => t > t0);
  return next === undefined ? Infinity : next - t0;
}

/**
 * Milliseconds from `t0` until the probe saw the checkpoint above `beyond` (what the killed
 * process had committed), waiting at most `limitMs`; Infinity if it never moved.
 */
export async function waitForProgressBeyond(
  drill: Drill,
  beyond: number,
  t0: number,
  limitMs: number,
): Promise<number> {
  for (;;) {
    const i = drill.checkpoints.findIndex((c) => c > beyond);
    if (i >= 0) return Math.max(0, drill.progress[i]! - t0);
    if (Date.now() - t0 >= limitMs) return Infinity;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until `times` has an entry after `t0`, or `limitMs` passed; returns the delay. */
export async function waitForFirstAfter(
  times: readonly number[],
  t0: number,
  limitMs: number,
): Promise<number> {
  while (Date.now() - t0 < limitMs) {
    const ms = firstAfter(times, t0);
    if (ms !== Infinity) return ms;
    await new Promise((r) => setTimeout(r, 50));
  }
  return firstAfter(times, t0);
}

/**
 * The ledger's invariant through the public API: every account's balance equals the sum of
 * its accepted deposits, read with the consistency token of its last accepted command.
 */
export async function expectBalancesMatch(stack: TestStack, drill: Drill): Promise<void> {
  const api = apiClient(stack.url, stack.token(OWNER));
  for (const accountId of drill.accounts) {
    const mine = drill.accepted.filter((a) => a.accountId === accountId);
    const ledger = mine.reduce((sum, a) => sum + a.amount, 0);
    const last = mine.reduce<Accepted | undefined>(
      (top, a) => (top === undefined || a.version > top.version ? a : top),
      undefined,
    );
    let reply: ApiReply;
    const deadline = Date.now() + 30_000;
    do {
      reply = await untilDefinitive(() =>
        api('GET', `/accounts/${accountId}`, {
          headers: last ? { 'x-consistency-token': last.consistencyToken } : {},
          timeoutMs: 10_000,
        }),
      );
    } while (reply.headers.get('x-consistency') === 'stale' && Date.now() < deadline);
    expect({ accountId, balance: reply.body.balance, version: reply.body.version }).toEqual({
      accountId,
      balance: ledger,
      version: last?.version ?? 1,
    });
  }
}

/** Asserts every process of the stack is still the one started (none exited). */
export function expectAllUp(stack: TestStack): void {
  const exited = Object.entries(stack.processes())
    .filter(([, p]) => p.child.exitCode !== null || p.child.signalCode !== null)
    .map(([name, p]) => `${name}: ${p.output().slice(-2_000)}`);
  expect(exited).toEqual([]);
}

export const report = (line: string): void => void process.stdout.write(`[recovery] ${line}\n`);
