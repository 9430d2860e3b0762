import type { Pool, PoolClient } from 'pg';
import {
  AppendOutcomeUnknownError,
  AppendQueueFullError,
  isDefinitelyRolledBack,
  isTransientAppendError,
} from './append.errors';
import type { AppendRequest, AppendResult } from './append.types';
import { APPEND_SQL } from './group-commit.sql';

interface Waiting {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Appends written by one transaction at most. */
  maxBatch: number;
  /** Transactions in flight at once; the next batch gathers while they commit. */
  maxInFlight: number;
  /**
   * Appends waiting for a transaction at most; more are refused at once (AppendQueueFullError)
   * instead of piling up latency and memory while the database is slow.
   */
  maxQueued: number;
  /** Reruns of a batch the server rolled back for a deadlock or serialization failure. */
  transientRetries: number;
  /** Seconds an idempotency record holds its key; an older one is free to be taken again. */
  idempotencyTtlSeconds: number;
  /** Test hook: runs after COMMIT, before callers are answered (crash-after-commit faults). */
  afterCommit?: () => void;
  onFlush?: (appends: number, events: number, ms: number) => void;
  /** A batch is rerun after a transient failure (deadlock, serialization). */
  onTransientRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Group commit: concurrent appends are queued and written together, one transaction and one
 * fsync for many commands. Nothing waits on a timer: a batch is flushed as soon as a
 * transaction slot is free, so a lone command pays no extra latency and a busy service commits
 * whatever arrived during the previous commit. Each caller still gets its own result.
 */
export class GroupCommitter {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: GroupCommitOptions,
  ) {}

  get idempotencyTtlSeconds(): number {
    return this.options.idempotencyTtlSeconds;
  }

  append(request: AppendRequest): Promise<AppendResult> {
    if (this.queue.length >= this.options.maxQueued)
      return Promise.reject(new AppendQueueFullError(this.options.maxQueued));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Waiting[]): Promise<void> {
    const started = performance.now();
    const requests = batch.map((w) => w.request);
    try {
      const results = await this.writeWithRetries(requests);
      this.options.afterCommit?.();
      batch.forEach((w, i) => w.resolve(results[i]!));
      const events = requests.reduce((n, r) => n + r.events.length, 0);
      this.options.onFlush?.(batch.length, events, performance.now() - started);
    } catch (error) {
      batch.forEach((w) => w.reject(error));
    }
  }

  /**
   * A deadlock or serialization failure rolled the whole batch back, so running it again is
   * safe; the callers see the rerun's outcome (maybe a version conflict, decided again).
   */
  private async writeWithRetries(requests: AppendRequest[]): Promise<AppendResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeOnce(requests);
      } catch (error) {
        if (attempt > this.options.transientRetries || !isTransientAppendError(error)) throw error;
        this.options.onTransientRetry?.(error, attempt);
      }
    }
  }

  private async writeOnce(requests: AppendRequest[]): Promise<AppendResult[]> {
    // Failing to get a connection stores nothing: a plain error, safe to retry.
    const client = await this.pool.connect();
    // A checked-out client has no error listener of the pool's: without one, a connection that
    // dies mid-statement emits an unhandled 'error' and takes the process down. The failed
    // query rejects as well, which is where the error is handled.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    let broken = false;
    try {
      return await this.write(client, requests);
    } catch (error) {
      if (isDefinitelyRolledBack(error)) throw error;
      broken = true;
      // The statement was sent; whether it committed before the answer was lost is unknown.
      throw new AppendOutcomeUnknownError({ cause: error });
    } finally {
      client.off('error', ignore);
      // A broken connection is destroyed, not handed to the next batch.
      client.release(broken);
    }
  }

  /** One statement, one implicit transaction, one round trip for the whole batch. */
  private async write(client: PoolClient, requests: AppendRequest[]): Promise<AppendResult[]> {
    const events: object[] = [];
    const keys: object[] = [];
    requests.forEach((request, append) => {
      request.events.forEach((event, i) =>
        events.push({
          ord: events.length,
          append,
          event_id: event.eventId,
          stream_id: request.streamId,
          stream_version: request.expectedVersion + i + 1,
          expected: request.expectedVersion,
          type: event.type,
          schema_version: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
          occurred_at: event.occurredAt,
        }),
      );
      if (request.idempotency) {
        const { scope, key, requestHash, status, response } = request.idempotency;
        keys.push({
          ord: keys.length,
          append,
          scope,
          key,
          request_hash: requestHash,
          status,
          response,
        });
      }
    });
    const { rows } = await client.query<{
      append_no: number;
      outcome: 'version-conflict' | 'idempotency-key-taken';
    }>(APPEND_SQL, [
      JSON.stringify(events),
      JSON.stringify(keys),
      this.options.idempotencyTtlSeconds,
    ]);
    const failed = new Map(rows.map((r) => [r.append_no, r.outcome]));
    return requests.map((request, append): AppendResult => {
      const reason = failed.get(append);
      return reason
        ? { ok: false, reason }
        : { ok: true, nextVersion: request.expectedVersion + request.events.length };
    });
  }
}
