import { DuckDBConnection } from '@duckdb/node-api';

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
