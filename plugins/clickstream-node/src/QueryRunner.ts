/** Named query parameters: `$name` on DuckDB, `:name` on Redshift. @public */
export type SqlParams = Record<string, string | number>;

/** Where metric queries run: the embedded DuckDB file or a Redshift database. @public */
export interface QueryRunner {
  readonly dialect: 'duckdb' | 'redshift';
  /**
   * Whether the warehouse stores the daily rollups (by the dates events are stored with, in
   * the app's time zone); without them, sheets aggregate events on the fly.
   */
  readonly rollups?: boolean;
  /** Rows as plain objects; numbers may come back as strings (callers convert). */
  query(sql: string, params?: SqlParams): Promise<Record<string, unknown>[]>;
}
