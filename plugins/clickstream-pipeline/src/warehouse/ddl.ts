import { InputError } from '@backstage/errors';
import { ColumnType, TableDefinition, warehouseTables } from '../schema/tables';
import { redshiftIdentifier } from './redshiftIdentifiers';

/** The DuckDB type of each column type. */
export const DUCKDB_TYPES: Record<ColumnType, string> = {
  varchar: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  json: 'VARCHAR',
};

export const REDSHIFT_TYPES: Record<ColumnType, string> = {
  varchar: 'VARCHAR(65535)',
  bigint: 'BIGINT',
  double: 'DOUBLE PRECISION',
  boolean: 'BOOLEAN',
  date: 'DATE',
  json: 'SUPER',
};

// The reference's sort keys (events sort by time).
const SORT_KEYS: Record<string, string> = {
  user_v2: 'user_pseudo_id, event_time_msec',
  session: 'user_pseudo_id, session_id, event_time_msec',
  quarantine: 'ingest_time_msec',
};

/** `CREATE TABLE` for DuckDB: the key is a primary key only where loads upsert on it. */
export function duckDbCreateTable(table: TableDefinition): string {
  const columns = table.columns.map(
    ([name, type]) => `  ${name} ${DUCKDB_TYPES[type]}`,
  );
  // Events are deduplicated by an anti-join instead: a primary key index over every event
  // would cost memory in proportion to the table.
  if (table.name !== 'event_v2' && table.name !== 'item_v2') {
    columns.push(`  PRIMARY KEY (${table.key.join(', ')})`);
  }
  return `CREATE TABLE IF NOT EXISTS ${table.name} (\n${columns.join(
    ',\n',
  )}\n)`;
}

/**
 * `CREATE TABLE` for Redshift, in a schema per app (the project is the database), with the
 * reference's distribution and sort keys.
 * @public
 */
export function redshiftCreateTable(
  table: TableDefinition,
  schema: string,
): string {
  const columns = table.columns.map(
    ([name, type]) => `  ${redshiftIdentifier(name)} ${REDSHIFT_TYPES[type]}`,
  );
  const sortKey = SORT_KEYS[table.name] ?? 'event_time_msec';
  return `CREATE TABLE IF NOT EXISTS ${schemaName(schema)}.${
    table.name
  } (\n${columns.join(',\n')}\n) DISTSTYLE EVEN SORTKEY (${sortKey})`;
}

/** The whole Redshift DDL for one app: its schema and every table. @public */
export function redshiftSchemaDdl(appId: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schemaName(appId)}`,
    ...warehouseTables.map(t => redshiftCreateTable(t, appId)),
    redshiftLoadLogDdl(schemaName(appId)),
  ];
}

/** The table every app schema keeps of the data-lake objects already loaded (AWS loads). @public */
export const LOAD_LOG_TABLE = 'clickstream_load_log';

/** `CREATE TABLE` of the load log, in an app's schema. */
function redshiftLoadLogDdl(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${schema}.${LOAD_LOG_TABLE} (
  object_key VARCHAR(1024),
  loaded_at TIMESTAMP DEFAULT GETDATE()
) DISTSTYLE EVEN SORTKEY (loaded_at)`;
}

/** An app id as its Redshift schema name; statements cannot take identifiers as parameters. */
export function schemaName(name: string): string {
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,126}$/.test(name)) {
    throw new InputError(`'${name}' is not a valid schema name`);
  }
  return name;
}
