import type { Pool } from 'pg';
import {
  SAMPLE_COLUMNS,
  toSampleView,
  type SampleRow,
  type SampleView,
} from '../shared/sample.view';

/** Another owner's sample reads as absent: no existence leak. */
export async function getSample(
  pool: Pool,
  schema: string,
  sampleId: string,
  ownerId: string,
): Promise<SampleView | undefined> {
  const { rows } = await pool.query<SampleRow>(
    `SELECT ${SAMPLE_COLUMNS} FROM ${schema}.samples WHERE sample_id = $1 AND owner_id = $2`,
    [sampleId, ownerId],
  );
  return rows[0] && toSampleView(rows[0]);
}
