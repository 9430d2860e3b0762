import { Controller, Get, Inject, Param, UseInterceptors } from '@nestjs/common';
import type { EventEnvelope } from '@cqrs/events';
import { checkedSchema, type DecodeEvent, type Projection } from '@cqrs/projections';
import {
  ConsistencyInterceptor,
  QUERY_DEPS,
  QueryError,
  type ProjectorServiceDefinition,
  type QueryDeps,
} from '../../src';

/**
 * A made-up context's read side, served by the factory with no service code: `tallies` counts
 * the events of each stream, and GET /tallies/:tallyId answers the count.
 */
export type TalliedEvent = EventEnvelope<'Tallied', Record<string, never>>;

export const talliesProjection = (): Projection<TalliedEvent> => ({
  name: 'tallies',
  migrate: async (pool, schema) =>
    void (await pool.query(
      `CREATE TABLE IF NOT EXISTS ${checkedSchema(schema)}.tallies
         (tally_id text PRIMARY KEY, count integer NOT NULL)`,
    )),
  applyBatch: async (tx, events, { schema }) => {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.streamId, (counts.get(e.streamId) ?? 0) + 1);
    await tx.query(
      `INSERT INTO ${schema}.tallies (tally_id, count)
       SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (tally_id) DO UPDATE SET count = tallies.count + EXCLUDED.count`,
      [[...counts.keys()], [...counts.values()]],
    );
  },
});

export const decodeTallied: DecodeEvent<TalliedEvent> = (raw) => {
  try {
    return { ok: true, event: JSON.parse(raw.toString('utf8')) as TalliedEvent };
  } catch (error) {
    return { ok: false, error: { code: 'EVENT_INVALID_JSON' as const, message: String(error) } };
  }
};

@Controller('tallies')
@UseInterceptors(ConsistencyInterceptor)
export class GetTallyHttpController {
  constructor(@Inject(QUERY_DEPS) private readonly deps: QueryDeps) {}

  @Get(':tallyId')
  async get(@Param('tallyId') tallyId: string): Promise<{ tallyId: string; count: number }> {
    const { rows } = await this.deps.pool.query<{ count: number }>(
      `SELECT count FROM ${this.deps.schema}.tallies WHERE tally_id = $1`,
      [tallyId],
    );
    const row = rows[0];
    if (row === undefined) throw QueryError.notFound('TALLY_NOT_FOUND', 'No such tally.');
    return { tallyId, count: row.count };
  }
}

export const talliesReadSide: ProjectorServiceDefinition<TalliedEvent> = {
  context: { name: 'tallies' },
  projections: [talliesProjection()],
  decode: decodeTallied,
  readModelTables: ['tallies'],
  query: { controllers: [GetTallyHttpController] },
};

/** One Kafka message: the event at `version` of stream `tallyId`, keyed by its stream. */
export function talliedMessage(tallyId: string, version: number): { key: string; value: string } {
  const event: TalliedEvent = {
    eventId: `${tallyId}-${version}`,
    type: 'Tallied',
    schemaVersion: 1,
    streamId: tallyId,
    streamVersion: version,
    occurredAt: new Date(0).toISOString(),
    data: {},
    metadata: {} as TalliedEvent['metadata'],
  };
  return { key: tallyId, value: JSON.stringify(event) };
}
