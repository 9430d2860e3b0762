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
  private client: { client: PoolClient; detach: () => void } | undefined;
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
    const wake = (): void => this.onWake();
    // Once per connection: an 'error' event and a failing query may both report its loss.
    const drop = (error: unknown): void => {
      if (dropped) return;
      dropped = true;
      if (client !== undefined) {
        detach();
        if (this.client?.client === client) this.client = undefined;
        // Destroyed, not returned: its session still LISTENs, or is broken.
        client.release(true);
      }
      this.reconnectLater(error);
    };
    // A connection going back to the pool must not keep this connection's handlers.
    const detach = (): void => {
      client?.removeListener('notification', wake);
      client?.removeListener('error', drop);
    };
    try {
      client = await this.pool.connect();
      client.on('error', drop);
      client.on('notification', wake);
      await client.query(`LISTEN ${this.channel}`);
      if (this.stopped) {
        dropped = true;
        detach();
        return client.release(true);
      }
      this.client = { client, detach };
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
    const held = this.client;
    this.client = undefined;
    if (held === undefined) return;
    held.detach();
    // A connection that cannot even UNLISTEN is broken: destroy it rather than pool it.
    const broken = await held.client.query(`UNLISTEN ${this.channel}`).then(
      () => false,
      () => true,
    );
    held.client.release(broken);
  }
}
