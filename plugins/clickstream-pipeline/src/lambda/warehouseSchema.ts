import { warehouseTables } from '../schema/tables';
import {
  REDSHIFT_TYPES,
  redshiftSchemaDdl,
  schemaName,
} from '../warehouse/ddl';
import { redshiftIdentifier } from '../warehouse/redshiftIdentifiers';
import { LoadRunner } from './redshiftLoad';

/**
 * Brings an app's Redshift schema to this version's tables: creates what is missing, then adds
 * the columns a newer version defines to tables an older one created (CREATE TABLE IF NOT
 * EXISTS leaves an existing table as it was). Columns are only ever added, so a rollback to the
 * previous version still finds every column it knows. Answers the columns it added.
 */
export async function migrateRedshiftSchema(
  runner: LoadRunner,
  appId: string,
): Promise<string[]> {
  const schema = schemaName(appId);
  await runner.execute(redshiftSchemaDdl(appId));
  const existing = new Set(
    (
      await runner.query(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = '${schema.toLowerCase()}'`,
      )
    ).map(row => `${row.table_name}.${row.column_name}`),
  );
  const added: string[] = [];
  const statements: string[] = [];
  for (const table of warehouseTables) {
    for (const [column, type] of table.columns) {
      if (existing.has(`${table.name}.${column}`)) continue;
      added.push(`${table.name}.${column}`);
      // Redshift adds one column per statement.
      statements.push(
        `ALTER TABLE ${schema}.${table.name} ADD COLUMN ${redshiftIdentifier(
          column,
        )} ${REDSHIFT_TYPES[type]}`,
      );
    }
  }
  // The Data API takes at most 40 statements in a batch.
  for (let i = 0; i < statements.length; i += 40) {
    await runner.execute(statements.slice(i, i + 40));
  }
  return added;
}

/**
 * Creates the schema of each app that has none yet: an app registered after the deployment
 * (the loader reads the live app registry) gets its tables before its first load. Answers the
 * apps whose schema it created.
 */
export async function ensureAppSchemas(
  runner: LoadRunner,
  appIds: string[],
): Promise<string[]> {
  if (appIds.length === 0) return [];
  const names = appIds.map(appId => `'${schemaName(appId).toLowerCase()}'`);
  const existing = new Set(
    (
      await runner.query(
        `SELECT nspname FROM pg_namespace WHERE nspname IN (${names.join(
          ', ',
        )})`,
      )
    ).map(row => String(row.nspname)),
  );
  const created: string[] = [];
  for (const appId of appIds) {
    if (existing.has(schemaName(appId).toLowerCase())) continue;
    await migrateRedshiftSchema(runner, appId);
    created.push(appId);
  }
  return created;
}
