import type { Pool } from 'pg';

/** One sample's row of the `sample_activity` read model. */
export interface SampleActivityView {
  sampleId: string;
  events: number;
  lastEventType: string;
  version: number;
  updatedAt: string;
}

interface SampleActivityRow {
  sample_id: string;
  events: number;
  last_event_type: string;
  version: number;
  updated_at: Date;
}

export async function getSampleActivity(
  pool: Pool,
  schema: string,
  sampleId: string,
): Promise<SampleActivityView | undefined> {
  const { rows } = await pool.query<SampleActivityRow>(
    `SELECT sample_id, events, last_event_type, version, updated_at
       FROM ${schema}.sample_activity WHERE sample_id = $1`,
    [sampleId],
  );
  const row = rows[0];
  return (
    row && {
      sampleId: row.sample_id,
      events: row.events,
      lastEventType: row.last_event_type,
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
    }
  );
}
