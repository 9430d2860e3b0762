import { Pool } from 'pg';

/** Rows a database's tables have been read so far, by table (from pg_stat_user_tables). */
export type TableReads = Map<string, { seqScans: number; seqRows: number; indexRows: number }>;

/**
 * Reads the counters. Postgres publishes them when a backend's transaction ends, at most once a
 * second, so wait a little over a second after the load before the second snapshot.
 */
export async function tableReads(databaseUrl: string): Promise<TableReads> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    await pool.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await pool.query<{
      relname: string;
      seq_scan: string;
      seq_tup_read: string;
      idx_tup_fetch: string | null;
    }>('SELECT relname, seq_scan, seq_tup_read, idx_tup_fetch FROM pg_stat_user_tables');
    return new Map(
      rows.map((r) => [
        r.relname,
        {
          seqScans: Number(r.seq_scan),
          seqRows: Number(r.seq_tup_read),
          indexRows: Number(r.idx_tup_fetch ?? 0),
        },
      ]),
    );
  } finally {
    await pool.end();
  }
}

/**
 * Markdown rows: per unit of work, the rows each table was read by sequential scans and by index
 * fetches. A figure that grows with the table's size (a scan per commit) is a plan gone wrong.
 */
export function tableReadRows(
  before: TableReads,
  after: TableReads,
  units: number,
  unit: string,
): string[] {
  const per = (n: number): string => (n / units).toFixed(2);
  const rows = [...after]
    .map(([table, end]) => {
      const start = before.get(table) ?? { seqScans: 0, seqRows: 0, indexRows: 0 };
      return {
        table,
        seqScans: end.seqScans - start.seqScans,
        seqRows: end.seqRows - start.seqRows,
        indexRows: end.indexRows - start.indexRows,
      };
    })
    .filter((r) => r.seqScans + r.seqRows + r.indexRows > 0)
    .sort((a, b) => a.table.localeCompare(b.table));
  return [
    `| table | sequential scans per ${unit} | rows read by them per ${unit} | rows fetched by index per ${unit} |`,
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) => `| ${r.table} | ${per(r.seqScans)} | ${per(r.seqRows)} | ${per(r.indexRows)} |`,
    ),
  ];
}
