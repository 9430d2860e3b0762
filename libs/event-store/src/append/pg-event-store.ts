import type { Pool } from 'pg';
import type {
  AppendRequest,
  AppendResult,
  StoredEvent,
  StoredIdempotencyRecord,
} from './append.types';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-row';
import { GroupCommitter, type GroupCommitOptions } from './group-commit';

export const DEFAULT_APPEND_OPTIONS: GroupCommitOptions = {
  maxBatch: 256,
  maxInFlight: 1,
  maxQueued: 4096,
  transientRetries: 3,
  idempotencyTtlSeconds: 86_400,
};

/**
 * The command side's event store on Postgres. Appends go through group commit; reads are plain
 * queries. The store knows nothing of event types: upcasting happens in the caller through
 * the event registry.
 */
export class PgEventStore {
  private readonly committer: GroupCommitter;

  constructor(
    private readonly pool: Pool,
    options: Partial<GroupCommitOptions> = {},
  ) {
    this.committer = new GroupCommitter(pool, { ...DEFAULT_APPEND_OPTIONS, ...options });
  }

  /**
   * Appends atomically if the stream is at `expectedVersion`; never throws for a conflict.
   * Throws AppendQueueFullError (nothing stored) or AppendOutcomeUnknownError (maybe stored).
   */
  append(request: AppendRequest): Promise<AppendResult> {
    return this.committer.append(request);
  }

  async readStream(streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS}
         FROM events e WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`,
      [streamId, fromVersion],
    );
    return rows.map(toStoredEvent);
  }

  async findIdempotencyRecord(
    scope: string,
    key: string,
  ): Promise<StoredIdempotencyRecord | undefined> {
    const { rows } = await this.pool.query<{
      request_hash: string;
      status: number;
      response: unknown;
    }>(
      `SELECT request_hash, status, response FROM idempotency_keys
        WHERE scope = $1 AND key = $2 AND created_at >= now() - make_interval(secs => $3)`,
      [scope, key, this.committer.idempotencyTtlSeconds],
    );
    const row = rows[0];
    return row && { requestHash: row.request_hash, status: row.status, response: row.response };
  }
}
