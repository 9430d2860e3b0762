import type { Pool, PoolClient } from 'pg';

export interface DriverLogger {
  info: (obj: object, msg: string) => void;
  warn: (obj: object, msg: string) => void;
  error: (obj: object, msg: string) => void;
}

/**
 * LISTENs on one channel on a connection held from the pool and calls `onWake` per
 * notification. The projector runtime notifies its projection's channel when a chunk commits,
 * so a driver hears of a new process the moment its row is visible. A lost connection is
 * replaced after a pause; the drivers' poll covers the gap, so this is a latency aid only.
 */
export class WakeupListener {
  private client: PoolClient | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly onWake: () => void,
    private readonly log: DriverLogger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    let client: PoolClient | undefined;
    let dropped = false;
    // Once per connection: an 'error' event and a failing query may both report its loss.
    const drop = (error: unknown): void => {
      if (dropped) return;
      dropped = true;
      if (client !== undefined) {
        client.removeAllListeners('notification');
        if (this.client === client) this.client = undefined;
        // Destroyed, not returned: its session still LISTENs, or is broken.
        client.release(true);
      }
      this.reconnectLater(error);
    };
    try {
      client = await this.pool.connect();
      client.on('error', drop);
      client.on('notification', () => this.onWake());
      await client.query(`LISTEN ${this.channel}`);
      if (this.stopped) return client.release();
      this.client = client;
      // Anything committed while no one listened is found by this wake's claim.
      this.onWake();
    } catch (error) {
      drop(error);
    }
  }

  private reconnectLater(error: unknown): void {
    if (this.stopped || this.retry !== undefined) return;
    this.log.warn(
      { err: String(error), channel: this.channel },
      'wakeup listener lost; reconnecting',
    );
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, 1_000);
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    client.removeAllListeners('notification');
    await client.query(`UNLISTEN ${this.channel}`).catch(() => undefined);
    client.release();
  }
}
