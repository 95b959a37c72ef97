import { ensureReportingUser } from './reportingUser';

function runner(userExists: boolean) {
  const queries: string[] = [];
  const batches: string[][] = [];
  return {
    queries,
    batches,
    async query(sql: string) {
      queries.push(sql);
      return userExists ? [{ '?column?': 1 }] : [];
    },
    async execute(sqls: string[]) {
      batches.push(sqls);
    },
  };
}

describe('ensureReportingUser', () => {
  const spec = {
    user: 'clickstream_shop_reporting',
    password: 'Abcdefgh1234',
    schemas: ['web', 'ios'],
  };

  it('creates the user and lets it read every table of the app schemas', async () => {
    const r = runner(false);
    await ensureReportingUser(r, spec);
    expect(r.queries).toEqual([
      "SELECT 1 FROM pg_user WHERE usename = 'clickstream_shop_reporting'",
    ]);
    expect(r.batches).toEqual([
      [
        "CREATE USER clickstream_shop_reporting PASSWORD 'Abcdefgh1234'",
        'GRANT USAGE ON SCHEMA web TO clickstream_shop_reporting',
        'GRANT SELECT ON ALL TABLES IN SCHEMA web TO clickstream_shop_reporting',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA web GRANT SELECT ON TABLES TO clickstream_shop_reporting',
        'GRANT USAGE ON SCHEMA ios TO clickstream_shop_reporting',
        'GRANT SELECT ON ALL TABLES IN SCHEMA ios TO clickstream_shop_reporting',
        'ALTER DEFAULT PRIVILEGES IN SCHEMA ios GRANT SELECT ON TABLES TO clickstream_shop_reporting',
      ],
    ]);
  });

  it('sets the password again when the user exists (an update, or a rotated secret)', async () => {
    const r = runner(true);
    await ensureReportingUser(r, { ...spec, schemas: ['web'] });
    expect(r.batches[0][0]).toBe(
      "ALTER USER clickstream_shop_reporting PASSWORD 'Abcdefgh1234'",
    );
  });

  it('refuses what could break out of the SQL, before any statement', async () => {
    const r = runner(false);
    await expect(
      ensureReportingUser(r, { ...spec, password: "Abcdefgh1'; DROP" }),
    ).rejects.toThrow(/reporting password must/);
    await expect(
      ensureReportingUser(r, { ...spec, password: 'short1A' }),
    ).rejects.toThrow(/8 to 64 characters/);
    await expect(
      ensureReportingUser(r, { ...spec, schemas: ['web; DROP TABLE x'] }),
    ).rejects.toThrow("'web; DROP TABLE x' is not a valid Redshift identifier");
    expect(r.queries).toEqual([]);
  });
});
