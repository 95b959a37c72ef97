import { warehouseTables } from '../schema/tables';
import { ensureAppSchemas, migrateRedshiftSchema } from './warehouseSchema';

/** A warehouse whose app schema holds these columns, recording what it is asked to run. */
function warehouse(columns: Array<[table: string, column: string]>) {
  const queries: string[] = [];
  const batches: string[][] = [];
  return {
    queries,
    batches,
    async query(sql: string) {
      queries.push(sql);
      return columns.map(([table_name, column_name]) => ({
        table_name,
        column_name,
      }));
    },
    async execute(sqls: string[]) {
      batches.push(sqls);
    },
  };
}

const everyColumn = warehouseTables.flatMap(t =>
  t.columns.map(([c]) => [t.name, c] as [string, string]),
);

describe('migrateRedshiftSchema', () => {
  it('creates the schema, and adds nothing to tables of this version', async () => {
    const w = warehouse(everyColumn);
    expect(await migrateRedshiftSchema(w, 'web')).toEqual([]);
    expect(w.batches).toHaveLength(1);
    expect(w.batches[0][0]).toBe('CREATE SCHEMA IF NOT EXISTS web');
    expect(w.queries).toEqual([
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'web'",
    ]);
  });

  it('adds the columns a newer version defines to tables an older one created', async () => {
    // An older version's tables: without the quarantine's raw body and a session column.
    const older = everyColumn.filter(
      ([t, c]) =>
        !(t === 'quarantine' && c === 'raw') &&
        !(t === 'session' && c === 'session_source_category'),
    );
    expect(older.length).toBe(everyColumn.length - 2);
    const w = warehouse(older);
    expect((await migrateRedshiftSchema(w, 'Web')).sort()).toEqual([
      'quarantine.raw',
      'session.session_source_category',
    ]);
    expect(w.queries[0]).toContain("table_schema = 'web'");
    expect(w.batches[1].sort()).toEqual([
      'ALTER TABLE Web.quarantine ADD COLUMN "raw" VARCHAR(65535)',
      'ALTER TABLE Web.session ADD COLUMN session_source_category VARCHAR(65535)',
    ]);
  });

  it('adds at most 40 columns a batch, as the Data API takes', async () => {
    const w = warehouse([]);
    const added = await migrateRedshiftSchema(w, 'web');
    expect(added).toHaveLength(everyColumn.length);
    const alters = w.batches.slice(1);
    expect(alters.every(b => b.length <= 40)).toBe(true);
    expect(alters.flat()).toHaveLength(everyColumn.length);
  });
});

describe('ensureAppSchemas', () => {
  it('creates the tables of an app registered since the deployment, and leaves existing schemas alone', async () => {
    const queries: string[] = [];
    const batches: string[][] = [];
    const runner = {
      async query(sql: string) {
        queries.push(sql);
        // The warehouse has the schema of the app known at deployment only.
        if (sql.includes('pg_namespace')) return [{ nspname: 'web' }];
        return [];
      },
      async execute(sqls: string[]) {
        batches.push(sqls);
      },
    };
    expect(await ensureAppSchemas(runner, ['web', 'new_app'])).toEqual([
      'new_app',
    ]);
    expect(queries[0]).toBe(
      "SELECT nspname FROM pg_namespace WHERE nspname IN ('web', 'new_app')",
    );
    expect(batches[0][0]).toBe('CREATE SCHEMA IF NOT EXISTS new_app');
    expect(batches.flat().some(sql => / web\./.test(sql))).toBe(false);
    expect(await ensureAppSchemas(runner, [])).toEqual([]);
  });
});
