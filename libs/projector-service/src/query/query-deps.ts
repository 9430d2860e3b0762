import type { Pool } from 'pg';
import type { ConsistencyTokens } from '@cqrs/platform';
import type { StreamPositionWaiter } from '@cqrs/projections';

/** What the query slices need, built once by the composition root. */
export interface QueryDeps {
  pool: Pool;
  schema: string;
  waiter: StreamPositionWaiter;
  consistencyWaitMs: number;
  /** Verifies X-Consistency-Token (signed by the command service with the shared secret). */
  tokens: ConsistencyTokens;
  maxWaitMs: number;
}

export const QUERY_DEPS = Symbol('QUERY_DEPS');
