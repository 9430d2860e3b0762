import type { Pool, PoolClient } from 'pg';
import type { AppendRequest, AppendResult } from './append.types';
import {
  DELETE_EVENTS_SQL,
  INSERT_EVENTS_SQL,
  INSERT_IDEMPOTENCY_SQL,
  NOTIFY_SQL,
} from './group-commit.sql';

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
  /** Test hook: runs after COMMIT, before callers are answered (crash-after-commit faults). */
  afterCommit?: () => void;
  onFlush?: (appends: number, events: number, ms: number) => void;
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

  append(request: AppendRequest): Promise<AppendResult> {
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
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const results = await this.write(
        client,
        batch.map((w) => w.request),
      );
      this.options.afterCommit?.();
      batch.forEach((w, i) => w.resolve(results[i]!));
      const events = batch.reduce((n, w) => n + w.request.events.length, 0);
      this.options.onFlush?.(batch.length, events, performance.now() - started);
    } catch (error) {
      // The transaction rolled back as a whole: nothing of this batch was stored.
      batch.forEach((w) => w.reject(error));
    } finally {
      client?.release();
    }
  }

  private async write(client: PoolClient, requests: AppendRequest[]): Promise<AppendResult[]> {
    const rows: object[] = [];
    requests.forEach((request) =>
      request.events.forEach((event, i) =>
        rows.push({
          ord: rows.length,
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
      ),
    );

    await client.query('BEGIN');
    try {
      const inserted = new Set<string>();
      if (rows.length > 0) {
        const result = await client.query<{ event_id: string }>(INSERT_EVENTS_SQL, [
          JSON.stringify(rows),
        ]);
        for (const row of result.rows) inserted.add(row.event_id);
      }

      const results: AppendResult[] = [];
      const undo: string[] = [];
      const keyed: { index: number; id: string }[] = [];
      const records: object[] = [];
      requests.forEach((request, index) => {
        const landed = request.events.filter((e) => inserted.has(e.eventId.toLowerCase()));
        if (landed.length === request.events.length) {
          results.push({ ok: true, nextVersion: request.expectedVersion + request.events.length });
          if (request.idempotency) {
            const { scope, key, requestHash, status, response } = request.idempotency;
            keyed.push({ index, id: `${scope}\u0000${key}` });
            records.push({ scope, key, request_hash: requestHash, status, response });
          }
        } else {
          // Part of a multi-event append may have found free versions; it must not land alone.
          undo.push(...landed.map((e) => e.eventId));
          results.push({ ok: false, reason: 'version-conflict' });
        }
      });

      if (records.length > 0) {
        const stored = await client.query<{ scope: string; key: string }>(INSERT_IDEMPOTENCY_SQL, [
          JSON.stringify(records),
        ]);
        const won = new Set(stored.rows.map((r) => `${r.scope}\u0000${r.key}`));
        for (const { index, id } of keyed) {
          if (won.has(id)) {
            won.delete(id); // a key repeated within the batch: only its first append wins
            continue;
          }
          undo.push(...requests[index]!.events.map((e) => e.eventId));
          results[index] = { ok: false, reason: 'idempotency-key-taken' };
        }
      }

      if (undo.length > 0) await client.query(DELETE_EVENTS_SQL, [undo]);
      if (inserted.size > undo.length) await client.query(NOTIFY_SQL);
      await client.query('COMMIT');
      return results;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}
