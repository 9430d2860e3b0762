import {
  decodeInstantIdCursor,
  encodeInstantIdCursor,
  type InstantIdCursor,
} from '@cqrs/projector-service';
import type { Pool } from 'pg';
import {
  SAMPLE_COLUMNS,
  toSampleView,
  type SampleRow,
  type SampleView,
} from '../shared/sample.view';

export interface SamplesPage {
  items: SampleView[];
  nextCursor: string | null;
}

/** The position after (created_at, sample_id), or undefined for a cursor that is not one. */
export const decodeSamplesCursor = decodeInstantIdCursor;

/**
 * Keyset pagination in a stable order (created_at, sample_id), served by the index of the same
 * columns: a page costs the same at any depth and never skips or repeats under inserts.
 */
export async function listSamples(
  pool: Pool,
  schema: string,
  ownerId: string,
  limit: number,
  after: InstantIdCursor | undefined,
): Promise<SamplesPage> {
  const { rows } = await pool.query<SampleRow>(
    `SELECT ${SAMPLE_COLUMNS} FROM ${schema}.samples
      WHERE owner_id = $1 AND ($2::timestamptz IS NULL OR (created_at, sample_id) > ($2::timestamptz, $3::uuid))
      ORDER BY created_at, sample_id LIMIT $4`,
    [ownerId, after?.at ?? null, after?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toSampleView);
  const last = page[page.length - 1];
  return {
    items: page,
    nextCursor:
      rows.length > limit && last
        ? encodeInstantIdCursor({ at: last.createdAt, id: last.sampleId })
        : null,
  };
}
