import {
  appIdSchema,
  METRIC_SHEETS,
  REDSHIFT_RESERVED_WORDS,
} from '@clickstream/backstage-plugin-clickstream-common';
import { redshiftLoadStatements } from '../lambda/redshiftLoad';
import { ensureReportingUser } from '../lambda/reportingUser';
import { migrateRedshiftSchema } from '../lambda/warehouseSchema';
import { warehouseTables } from '../schema/tables';
import { redshiftSchemaDdl } from './ddl';
import { redshiftDialect } from './dialect';
import { sheetQueries } from './metrics/sheets';
import { bareReservedWords, redshiftIdentifier } from './redshiftIdentifiers';

/** Every statement this suite sends to Redshift, by where it comes from. */
async function redshiftStatements(): Promise<Record<string, string[]>> {
  const reportingUser: string[] = [];
  await ensureReportingUser(
    {
      query: async sql => {
        reportingUser.push(sql);
        return [];
      },
      execute: async sqls => void reportingUser.push(...sqls),
    },
    { user: 'reporting', password: 'Secret123', schemas: ['web'] },
  );
  // Every column added, as to a schema made before any of them existed.
  const migration: string[] = [];
  await migrateRedshiftSchema(
    {
      query: async sql => {
        migration.push(sql);
        return [];
      },
      execute: async sqls => void migration.push(...sqls),
    },
    'web',
  );
  return {
    schema: redshiftSchemaDdl('web'),
    migration,
    load: redshiftLoadStatements({
      schema: 'web',
      manifests: new Map(
        warehouseTables.map(t => [t.name, `s3://lake/_loads/${t.name}`]),
      ),
      loadLog: 's3://lake/_loads/log.ndjson.gz',
      iamRole: 'arn:aws:iam::123456789012:role/copy',
      retentionCutoffMsec: 0,
      loadLogDays: 30,
    }),
    reportingUser,
    metrics: METRIC_SHEETS.flatMap(sheet =>
      sheetQueries(sheet, redshiftDialect, {
        appId: 'web',
        from: '2026-11-01',
        to: '2026-11-28',
        timezone: 'UTC',
      }).map(q => q.sql),
    ),
  };
}

// The reserved words these statements mean as keywords; any other one is an identifier
// Redshift rejects (it reads a column named `raw` as the RAW encoding).
const KEYWORDS = new Set(
  `ALL AND AS ASC BETWEEN CASE CAST COLUMN CREATE DEFAULT DESC DISTINCT ELSE END FROM GRANT GROUP GZIP
  IGNORE IN INTERVAL INTO IS JOIN LEFT LIKE LIMIT NOT NULL NULLS ON OR ORDER PARTITION SELECT
  TABLE THEN TIMESTAMP TO TRUNCATECOLUMNS UNION USER USING WHEN WHERE WITH`.split(
    /\s+/,
  ),
);

describe("Redshift's reserved words", () => {
  it('are delimited when a column is named by one', () => {
    expect(redshiftIdentifier('raw')).toBe('"raw"');
    expect(redshiftIdentifier('event_id')).toBe('event_id');
    expect(bareReservedWords(`SELECT "raw", 'raw' FROM t`)).toEqual([
      'SELECT',
      'FROM',
    ]);
  });

  it('appear in no statement sent to Redshift except as keywords', async () => {
    const found: Record<string, string[]> = {};
    for (const [source, statements] of Object.entries(
      await redshiftStatements(),
    )) {
      expect(statements.length).toBeGreaterThan(0);
      const misused = new Set(
        statements.flatMap(bareReservedWords).filter(w => !KEYWORDS.has(w)),
      );
      found[source] = [...misused];
    }
    expect(found).toEqual({
      schema: [],
      migration: [],
      load: [],
      reportingUser: [],
      metrics: [],
    });
  });

  it('include a column of the quarantine table, which the DDL delimits', () => {
    const quarantine = redshiftSchemaDdl('web').find(s =>
      s.includes('web.quarantine'),
    )!;
    expect(quarantine).toContain('"raw" VARCHAR(65535)');
  });

  it('names app schemas only with ids Redshift takes bare', () => {
    // An app id names its schema: the model refuses every reserved word, in any case.
    for (const word of REDSHIFT_RESERVED_WORDS) {
      expect([word, appIdSchema.safeParse(word.toLowerCase()).success]).toEqual(
        [word, false],
      );
    }
    // What it accepts adds no bare reserved word to the DDL.
    const reserved = (appId: string) =>
      bareReservedWords(redshiftSchemaDdl(appId).join(';\n'));
    expect(reserved('Shop_2')).toEqual(reserved('web'));
  });
});
