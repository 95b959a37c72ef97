/**
 * The little that differs between DuckDB and Redshift SQL in the metric queries. Everything
 * else is written once in the common subset of both (CASE, COUNT DISTINCT, date arithmetic
 * with integers, DATE_TRUNC, window functions).
 * @public
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'redshift';
  /** A named parameter, cast to its type. */
  param(name: string, type: 'varchar' | 'bigint' | 'date'): string;
  /** A warehouse table of an app (Redshift keeps one schema per app). */
  table(name: string, appId: string): string;
  /** The local calendar date, in the `timezone` parameter's zone, of an epoch-ms expression. */
  localDate(msExpression: string): string;
  /**
   * What identifies a user or session when counting or grouping by it: DuckDB hashes the id
   * to 64 bits, much faster to count (a collision among a billion ids is about one chance in
   * 40); Redshift uses the id itself.
   */
  distinctKey(idExpression: string): string;
}

const CAST: Record<string, string> = {
  varchar: 'VARCHAR',
  bigint: 'BIGINT',
  date: 'DATE',
};

/** @public */
export const duckDbDialect: SqlDialect = {
  name: 'duckdb',
  param: (name, type) => `CAST($${name} AS ${CAST[type]})`,
  table: name => name,
  localDate: ms =>
    `CAST(timezone($timezone, to_timestamp(${ms} / 1000.0)) AS DATE)`,
  distinctKey: id => `hash(${id})`,
};

/** @public */
export const redshiftDialect: SqlDialect = {
  name: 'redshift',
  param: (name, type) => `CAST(:${name} AS ${CAST[type]})`,
  table: (name, appId) => `${appId}.${name}`,
  localDate: ms =>
    `CAST(CONVERT_TIMEZONE(:timezone, TIMESTAMP 'epoch' + (${ms} / 1000) * INTERVAL '1 second') AS DATE)`,
  distinctKey: id => id,
};
