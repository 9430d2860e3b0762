import type { ChunkResult, ProjectorObserver } from '@cqrs/projections';
import { percentile } from '@cqrs/testing';
import type { Pool, PoolClient } from 'pg';

export interface TransactionSummary {
  transactions: number;
  eventsPerTransaction: { mean: number; p50: number; max: number };
  /** Round trips per committed transaction, BEGIN and COMMIT included. */
  statementsPerTransaction: { mean: number; p50: number };
  /** Messages per batch the Kafka consumer handed over (empty for the Postgres-only pass). */
  fetchedBatch: { count: number; mean: number; p50: number; max: number } | undefined;
}

const mean = (values: readonly number[]): number =>
  values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length);

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/**
 * The facts that decide a projection pass's throughput: how many events each transaction
 * carries, how many round trips it costs, and how large the consumer's batches were.
 * Statements are counted on the pool's clients, so the figure is what Postgres really saw.
 */
export class TransactionStats implements ProjectorObserver {
  private readonly events: number[] = [];
  private readonly statements: number[] = [];
  private readonly batches: number[] = [];

  /** Counts, on every client `pool` opens from now on, the statements of each transaction. */
  watch(pool: Pool): Pool {
    pool.on('connect', (client) => this.countStatements(client));
    return pool;
  }

  recordChunk(_partition: number, result: ChunkResult): void {
    this.events.push(result.applied + result.skipped + result.deadLettered + result.parked);
  }

  recordBatch(_partition: number, messages: number): void {
    this.batches.push(messages);
  }

  summary(): TransactionSummary {
    const events = sorted(this.events);
    const statements = sorted(this.statements);
    const batches = sorted(this.batches);
    return {
      transactions: events.length,
      eventsPerTransaction: {
        mean: mean(events),
        p50: percentile(events, 50),
        max: events[events.length - 1] ?? 0,
      },
      statementsPerTransaction: {
        mean: Math.round(10 * (statements.reduce((a, b) => a + b, 0) / statements.length)) / 10,
        p50: percentile(statements, 50),
      },
      fetchedBatch:
        batches.length === 0
          ? undefined
          : {
              count: batches.length,
              mean: mean(batches),
              p50: percentile(batches, 50),
              max: batches[batches.length - 1] ?? 0,
            },
    };
  }

  private countStatements(client: PoolClient): void {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    let open = -1; // statements so far in the open transaction; -1 outside one
    const counted = (...args: unknown[]): unknown => {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string }).text ?? '');
      if (text === 'BEGIN') open = 1;
      else if (text === 'COMMIT' && open >= 0) {
        this.statements.push(open + 1);
        open = -1;
      } else if (text === 'ROLLBACK') open = -1;
      else if (open >= 0) open += 1;
      return query(...args);
    };
    (client as unknown as { query: typeof counted }).query = counted;
  }
}
