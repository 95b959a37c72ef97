import { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { Row, TableDefinition } from '../schema/tables';

// Statements the warehouse and its rollups share on the writer connection.

/** Runs statements in one transaction: all of them, or none when one fails. */
export async function inTransaction(
  w: DuckDBConnection,
  statements: () => Promise<void>,
) {
  await w.run('BEGIN TRANSACTION');
  try {
    await statements();
    await w.run('COMMIT');
  } catch (e) {
    await w.run('ROLLBACK');
    throw e;
  }
}

/** Appends the distinct rows of text values to a staging table of the temp schema. */
export async function stageRows(
  writer: DuckDBConnection,
  table: string,
  rows: Iterable<readonly string[]>,
) {
  const appender = await writer.createAppender(table, 'main', 'temp');
  const seen = new Set<string>();
  try {
    for (const row of rows) {
      const key = row.join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      for (const value of row) appender.appendVarchar(value);
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
}

/** Appends rows `from`..`to` of a table's rows: one call into DuckDB per value. */
export function appendRows(
  appender: DuckDBAppender,
  table: TableDefinition,
  rows: Row[],
  from: number,
  to: number,
) {
  const columns = table.columns;
  for (const row of rows.slice(from, to)) {
    for (let i = 0; i < columns.length; i++) {
      const [name, type] = columns[i];
      const value = row[name];
      if (value === null || value === undefined) appender.appendNull();
      else if (type === 'bigint' || type === 'double') {
        appender.appendDouble(value as number);
      } else if (type === 'boolean') appender.appendBoolean(value as boolean);
      else appender.appendVarchar(value as string);
    }
    appender.endRow();
  }
}
