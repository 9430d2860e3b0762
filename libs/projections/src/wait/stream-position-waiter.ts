import { Client, type ClientConfig, type Pool } from 'pg';
import { checkedSchema, positionsChannel } from '../schema/projector-tables.sql';

export interface PositionResult {
  reached: boolean;
  /** The stream's applied version when the wait ended (0: not projected at all). */
  version: number;
}

interface Waiter {
  version: number;
  resolve: (result: PositionResult) => void;
  timer: NodeJS.Timeout;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Resolves "has stream S reached version N in projection P's read model?" without polling: a dedicated
 * session LISTENs to the projection's channel (the projector notifies on every commit that
 * applied events) and, on each notification, re-checks only the streams someone waits for, in
 * one query. Works across processes. A slow safety poll (only while someone waits) covers a
 * notification lost while the LISTEN session reconnects.
 */
export class StreamPositionWaiter {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private client: Client | undefined;
  private stopped = false;
  private checking: Promise<void> | undefined;
  private recheck = false;
  private safetyPoll: NodeJS.Timeout | undefined;
  private readonly schema: string;
  private readonly channel: string;

  constructor(
    private readonly options: {
      pool: Pool;
      listen: ClientConfig;
      schema: string;
      projection: string;
      onError?: (error: Error) => void;
      /** While someone waits, re-check this often in case a notification was lost. */
      safetyPollMs?: number;
    },
  ) {
    this.schema = checkedSchema(options.schema);
    this.channel = positionsChannel(options.projection);
  }

  async start(): Promise<void> {
    await this.connect();
    this.safetyPoll = setInterval(() => {
      if (this.waiters.size > 0) this.check();
    }, this.options.safetyPollMs ?? 1_000);
    this.safetyPoll.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.safetyPoll);
    for (const [streamId, set] of this.waiters) {
      for (const waiter of set) this.finish(streamId, waiter, { reached: false, version: 0 });
    }
    await this.client?.end().catch(() => undefined);
  }

  async currentVersion(streamId: string): Promise<number> {
    const { rows } = await this.options.pool.query<{ version: number }>(
      `SELECT version FROM ${this.schema}.projector_streams WHERE projection = $2 AND stream_id = $1`,
      [streamId, this.options.projection],
    );
    return rows[0]?.version ?? 0;
  }

  async waitFor(streamId: string, version: number, timeoutMs: number): Promise<PositionResult> {
    const now = await this.currentVersion(streamId);
    if (now >= version || timeoutMs <= 0 || this.stopped)
      return { reached: now >= version, version: now };
    return new Promise<PositionResult>((resolve) => {
      const waiter: Waiter = {
        version,
        resolve,
        timer: setTimeout(() => {
          void this.currentVersion(streamId)
            .catch(() => now)
            .then((last) =>
              this.finish(streamId, waiter, { reached: last >= version, version: last }),
            );
        }, timeoutMs),
      };
      let set = this.waiters.get(streamId);
      if (set === undefined) this.waiters.set(streamId, (set = new Set()));
      set.add(waiter);
      // A commit may have landed between the first read and registering: look once more.
      this.check();
    });
  }

  private finish(streamId: string, waiter: Waiter, result: PositionResult): void {
    clearTimeout(waiter.timer);
    const set = this.waiters.get(streamId);
    if (!set?.delete(waiter)) return;
    if (set.size === 0) this.waiters.delete(streamId);
    waiter.resolve(result);
  }

  /** Coalesces notifications: at most one query in flight, one more queued behind it. */
  private check(): void {
    if (this.checking) {
      this.recheck = true;
      return;
    }
    this.checking = this.checkNow()
      .catch((error: unknown) =>
        this.options.onError?.(error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => {
        this.checking = undefined;
        if (this.recheck) {
          this.recheck = false;
          this.check();
        }
      });
  }

  private async checkNow(): Promise<void> {
    const ids = [...this.waiters.keys()];
    if (ids.length === 0) return;
    const { rows } = await this.options.pool.query<{ stream_id: string; version: number }>(
      `SELECT stream_id, version FROM ${this.schema}.projector_streams
        WHERE projection = $2 AND stream_id = ANY($1::text[])`,
      [ids, this.options.projection],
    );
    for (const { stream_id: streamId, version } of rows) {
      for (const waiter of [...(this.waiters.get(streamId) ?? [])]) {
        if (version >= waiter.version) this.finish(streamId, waiter, { reached: true, version });
      }
    }
  }

  private async connect(): Promise<void> {
    const client = new Client(this.options.listen);
    client.on('notification', () => this.check());
    // Every error of this session (the server restarting, pg_terminate_backend, a network cut)
    // ends it: report it and open a new one that LISTENs again.
    client.on('error', (error) => {
      this.options.onError?.(error);
      void this.reconnect(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      // A session that connected but could not LISTEN must not linger as a leaked connection.
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  /**
   * Replaces a broken LISTEN session, retrying with backoff bounded to 1 s: a database restart
   * takes a few seconds, and every second without the session delays waiters to the safety poll.
   */
  private async reconnect(broken: Client): Promise<void> {
    if (this.client !== broken) return;
    this.client = undefined;
    await broken.end().catch(() => undefined);
    for (let backoff = 50; !this.stopped; backoff = Math.min(backoff * 2, 1_000)) {
      try {
        await this.connect();
        // Notifications sent while no session listened are lost: look at every waiter now.
        this.check();
        return;
      } catch (error) {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        await sleep(backoff);
      }
    }
  }

  /** Whether a LISTEN session is currently established (for tests and health details). */
  listening(): boolean {
    return this.client !== undefined;
  }
}
