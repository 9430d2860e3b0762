/** A sample as the query API answers it (SampleSchema of the context). */
export interface SampleView {
  sampleId: string;
  ownerId: string;
  title: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SampleRow {
  sample_id: string;
  owner_id: string;
  title: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const SAMPLE_COLUMNS = 'sample_id, owner_id, title, version, created_at, updated_at';

export const toSampleView = (row: SampleRow): SampleView => ({
  sampleId: row.sample_id,
  ownerId: row.owner_id,
  title: row.title,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
