import type { Pool } from 'pg';
import type { StreamPositionWaiter } from '@cqrs/projections';

/** What the query slices need, built once by the composition root. */
export interface QueryDeps {
  pool: Pool;
  schema: string;
  waiter: StreamPositionWaiter;
  consistencyWaitMs: number;
  maxWaitMs: number;
}

export const QUERY_DEPS = Symbol('QUERY_DEPS');
