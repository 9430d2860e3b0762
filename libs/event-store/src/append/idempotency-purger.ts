import type { Pool } from 'pg';

export interface IdempotencyPurgerOptions {
  /** Records older than this are deleted (the append already ignores them). */
  ttlSeconds: number;
  /** How often the background loop runs. */
  intervalMs: number;
  /** Rows deleted per statement, so a large backlog never holds long locks. */
  batchSize?: number;
  onError?: (error: unknown) => void;
  onPurged?: (count: number) => void;
}

/**
 * Deletes expired idempotency records in the background, so the table holds about one TTL of
 * keys instead of growing forever. Expiry itself does not depend on it: the append takes an
 * expired key over and lookups ignore expired records, so a late or failed purge changes no
 * answer. Several instances may purge at once; they only delete the same rows.
 */
export class IdempotencyPurger {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly options: IdempotencyPurgerOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.purgeOnce()
        .catch((error: unknown) => {
          this.options.onError?.(error);
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Deletes every expired record, a batch at a time; returns how many. */
  async purgeOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? 5_000;
    let total = 0;
    for (;;) {
      const { rowCount } = await this.pool.query(
        `DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM idempotency_keys
            WHERE created_at < now() - make_interval(secs => $1)
            LIMIT $2))`,
        [this.options.ttlSeconds, batchSize],
      );
      total += rowCount ?? 0;
      if ((rowCount ?? 0) < batchSize) break;
    }
    if (total > 0) this.options.onPurged?.(total);
    return total;
  }
}
