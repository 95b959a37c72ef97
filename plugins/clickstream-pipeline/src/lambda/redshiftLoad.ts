import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import {
  mergeAssignments,
  reduceExpressions,
  sessionMergeRules,
  userMergeRules,
} from '../schema/merge';
import { TableDefinition, warehouseTables } from '../schema/tables';
import { LOAD_LOG_TABLE, schemaName } from '../warehouse/ddl';
import { redshiftIdentifier } from '../warehouse/redshiftIdentifiers';

/** The data-lake objects a load reads, and where it writes its manifests. @public */
export interface DataLakeStore {
  /** Every key under a prefix. */
  list(prefix: string): Promise<string[]>;
  put(key: string, body: Buffer): Promise<void>;
}

/** What the loader needs of the warehouse: the Data API runner's two calls. @public */
export interface LoadRunner {
  query(sql: string): Promise<Record<string, unknown>[]>;
  execute(sqls: string[]): Promise<void>;
}

/** @public */
export interface RedshiftLoaderOptions {
  store: DataLakeStore;
  runner: LoadRunner;
  /** The data-lake bucket, for the COPY statements' URLs. */
  bucket: string;
  /** The role COPY reads the bucket with; `default` for the warehouse's default role. */
  iamRole: string;
  /**
   * Events older than this many hours are never processed: a run lists the partitions written
   * since the last run that left nothing behind, widened by this window.
   */
  dataFreshnessHours: number;
  /** Rows older than this many days are deleted by each run, with or without new objects. */
  dataRetentionDays: number;
  /**
   * Objects loaded in one transaction, at most (whole processor batches; one larger batch goes
   * alone); the rest wait for the next run.
   */
  maxObjectsPerLoad?: number;
}

/** What one app's load did. @public */
export interface AppLoadResult {
  appId: string;
  /** New objects loaded, by table. */
  objects: Record<string, number>;
  /** Whether new objects were left for the next run (more than one load's worth). */
  more: boolean;
}

const DAY_MS = 86_400_000;
/**
 * A load log row marking a run that left nothing behind: the next run lists the partitions
 * written since then, whatever the schedule, and a backlog left by the object limit stays in
 * view until it is loaded. (Object keys start with a table name, never with this.)
 */
const RUN_COMPLETE = 'run-complete/';
/** How far back a run lists when the log has no complete run (a new app, a long outage). */
const MAX_LOOKBACK_DAYS = 60;

/**
 * Loads the data lake's new objects into Redshift, app by app, the way the embedded warehouse
 * loads a batch: events, items and quarantined events are inserted unless their key is already
 * there; users and sessions are merged with the same rules. Which objects are new comes from a
 * load log in the app's schema, written in the same transaction as the rows, so a load that
 * fails leaves nothing behind and the next run takes the same objects again.
 * @public
 */
export class RedshiftLoader {
  constructor(private readonly options: RedshiftLoaderOptions) {}

  async loadApp(appId: string, now = Date.now()): Promise<AppLoadResult> {
    const schema = schemaName(appId);
    const { store, runner } = this.options;
    // Objects written since the last complete run: users, sessions and quarantined events are
    // partitioned by the day they were processed, and late events land in event_date
    // partitions up to the freshness window older (plus a day either side for time zones).
    const [last] = await runner.query(
      `SELECT DATEDIFF(hour, MAX(loaded_at), GETDATE()) AS hours FROM ${schema}.${LOAD_LOG_TABLE} WHERE object_key LIKE '${RUN_COMPLETE}%'`,
    );
    const sinceHours =
      last?.hours === null || last?.hours === undefined
        ? MAX_LOOKBACK_DAYS * 24
        : Number(last.hours);
    const days =
      Math.min(
        MAX_LOOKBACK_DAYS,
        Math.ceil((this.options.dataFreshnessHours + sinceHours) / 24),
      ) + 2;
    const dates = Array.from({ length: days + 1 }, (_, i) =>
      new Date(now + DAY_MS - i * DAY_MS).toISOString().slice(0, 10),
    );
    const listed = new Map<string, string[]>();
    for (const table of warehouseTables) {
      const partition =
        table.name === 'event_v2' || table.name === 'item_v2'
          ? 'event_date'
          : 'load_date';
      const keys = await Promise.all(
        dates.map(date =>
          store.list(`${table.name}/app_id=${appId}/${partition}=${date}/`),
        ),
      );
      listed.set(table.name, keys.flat());
    }

    const loaded = new Set(
      (
        await runner.query(
          `SELECT object_key FROM ${schema}.${LOAD_LOG_TABLE} WHERE loaded_at > DATEADD(day, -${
            days + 1
          }, GETDATE())`,
        )
      ).map(row => String(row.object_key)),
    );
    // Whole processor batches (their objects share a file name across tables), so a batch's
    // users and sessions load with its events rather than waiting behind a backlog of events.
    const batches = new Map<string, Array<[TableDefinition, string]>>();
    for (const table of warehouseTables) {
      for (const key of listed.get(table.name) ?? []) {
        if (loaded.has(key)) continue;
        const batch = key.slice(key.lastIndexOf('/') + 1);
        batches.set(batch, [...(batches.get(batch) ?? []), [table, key]]);
      }
    }
    let budget = this.options.maxObjectsPerLoad ?? 2000;
    const pending = new Map<TableDefinition, string[]>();
    let taken = 0;
    for (const objects of batches.values()) {
      // One batch larger than the budget still goes, alone.
      if (objects.length > budget && pending.size > 0) break;
      for (const [table, key] of objects) {
        pending.set(table, [...(pending.get(table) ?? []), key]);
      }
      taken++;
      budget -= objects.length;
      if (budget <= 0) break;
    }
    const result: AppLoadResult = {
      appId,
      objects: Object.fromEntries(
        [...pending].map(([table, keys]) => [table.name, keys.length]),
      ),
      more: taken < batches.size,
    };
    const common = {
      schema,
      iamRole: this.options.iamRole,
      retentionCutoffMsec: now - this.options.dataRetentionDays * DAY_MS,
      loadLogDays: days + 2,
      complete: !result.more,
    };
    // Nothing new: retention still applies, and the run is marked complete.
    if (pending.size === 0) {
      await runner.execute(
        redshiftLoadStatements({ ...common, manifests: new Map() }),
      );
      return result;
    }

    const run = `_loads/app_id=${appId}/${new Date(now)
      .toISOString()
      .replace(/[:.]/g, '-')}-${randomUUID()}`;
    const url = (key: string) => `s3://${this.options.bucket}/${key}`;
    const manifests = new Map<string, string>();
    for (const [table, keys] of pending) {
      const key = `${run}/${table.name}.manifest`;
      await store.put(
        key,
        Buffer.from(
          JSON.stringify({
            entries: keys.map(k => ({ url: url(k), mandatory: true })),
          }),
        ),
      );
      manifests.set(table.name, url(key));
    }
    const logKey = `${run}/loaded.ndjson.gz`;
    await store.put(
      logKey,
      gzipSync(
        [...pending.values()]
          .flat()
          .map(k => `${JSON.stringify({ object_key: k })}\n`)
          .join(''),
      ),
    );

    await runner.execute(
      redshiftLoadStatements({ ...common, manifests, loadLog: url(logKey) }),
    );
    return result;
  }
}

/** @public */
export interface LoadStatementsOptions {
  schema: string;
  /** Table name to the S3 URL of the manifest of its new objects. */
  manifests: ReadonlyMap<string, string>;
  /** The S3 URL of the gzipped NDJSON of the loaded object keys (none when nothing loads). */
  loadLog?: string;
  /** Marks the run complete in the load log: it left no new object behind. */
  complete?: boolean;
  iamRole: string;
  /** Rows whose time is before this are deleted (data retention). */
  retentionCutoffMsec: number;
  /** How many days of the load log to keep. */
  loadLogDays: number;
}

/**
 * The statements of one load, run in one transaction: stage each table's new objects with
 * COPY, merge them in, record the objects (and a complete run) as loaded, and apply data
 * retention.
 * @public
 */
export function redshiftLoadStatements(
  options: LoadStatementsOptions,
): string[] {
  const { schema } = options;
  const role =
    options.iamRole === 'default'
      ? 'IAM_ROLE default'
      : `IAM_ROLE '${sqlString(options.iamRole)}'`;
  const copy = (table: string, from: string, manifest: boolean) =>
    `COPY ${table} FROM '${sqlString(
      from,
    )}' ${role} FORMAT AS JSON 'auto' GZIP${
      manifest ? ' MANIFEST' : ''
    } DATEFORMAT 'auto' TIMEFORMAT 'auto' TRUNCATECOLUMNS`;
  // Loads of one app run one at a time: a second waits here until the first commits.
  const statements: string[] = [`LOCK ${schema}.${LOAD_LOG_TABLE}`];
  for (const table of warehouseTables) {
    const manifest = options.manifests.get(table.name);
    if (!manifest) continue;
    const target = `${schema}.${table.name}`;
    const stage = `stage_${table.name}`;
    statements.push(
      `CREATE TEMP TABLE ${stage} (LIKE ${target})`,
      copy(stage, manifest, true),
      ...mergeStatements(table, target, stage),
    );
  }
  if (options.loadLog) {
    statements.push(
      copy(`${schema}.${LOAD_LOG_TABLE} (object_key)`, options.loadLog, false),
    );
  }
  if (options.complete) {
    statements.push(
      `INSERT INTO ${schema}.${LOAD_LOG_TABLE} (object_key) VALUES ('${RUN_COMPLETE}')`,
    );
  }
  statements.push(
    ...retentionStatements(schema, options.retentionCutoffMsec),
    // The log is only read back for the partitions a load lists.
    `DELETE FROM ${schema}.${LOAD_LOG_TABLE} WHERE loaded_at < DATEADD(day, -${options.loadLogDays}, GETDATE())`,
  );
  return statements;
}

/** Moves a staged table into the app's table with the embedded warehouse's rules. */
function mergeStatements(
  table: TableDefinition,
  target: string,
  stage: string,
): string[] {
  // Written as Redshift must: a reserved word (the quarantine's `raw`) delimited.
  const names = table.columns.map(([name]) => name);
  const columns = names.map(redshiftIdentifier);
  const key = table.key.map(redshiftIdentifier).join(', ');
  const keyMatch = (a: string, b: string) =>
    table.key
      .map(redshiftIdentifier)
      .map(k => `${a}.${k} = ${b}.${k}`)
      .join(' AND ');
  const partition = `PARTITION BY ${key}`;
  if (table.name !== 'user_v2' && table.name !== 'session') {
    // Events, items and quarantined events: a key already there is never inserted again.
    return [
      `INSERT INTO ${target} (${columns.join(', ')})
SELECT ${columns.join(', ')} FROM (
  SELECT *, ROW_NUMBER() OVER (${partition} ORDER BY ${key}) AS clickstream_rank
  FROM ${stage}) n
WHERE clickstream_rank = 1
  AND NOT EXISTS (SELECT 1 FROM ${target} t WHERE ${keyMatch('t', 'n')})`,
    ];
  }
  // MERGE takes one source row per target row, from a table: first reduce the staged rows to
  // one per key, by the same rules the merge then applies against the table.
  const rules = table.name === 'user_v2' ? userMergeRules : sessionMergeRules;
  const reduced = reduceExpressions(rules, partition, 's');
  const incoming = `merge_${table.name}`;
  // MERGE names the target's columns by its table name (it takes no alias for the target).
  const existing = table.name;
  const assignments = mergeAssignments(rules, existing, 'i');
  return [
    `CREATE TEMP TABLE ${incoming} AS
SELECT ${columns.join(', ')} FROM (
  SELECT ${names
    .map((name, i) =>
      reduced[name] ? `${reduced[name]} AS ${columns[i]}` : `s.${columns[i]}`,
    )
    .join(', ')},
    ROW_NUMBER() OVER (${partition} ORDER BY ${key}) AS clickstream_rank
  FROM ${stage} s) r
WHERE clickstream_rank = 1`,
    `MERGE INTO ${target} USING ${incoming} AS i ON ${keyMatch(existing, 'i')}
WHEN MATCHED THEN UPDATE SET
  ${assignments.join(',\n  ')}
WHEN NOT MATCHED THEN INSERT VALUES (${columns.map(c => `i.${c}`).join(', ')})`,
  ];
}

function retentionStatements(schema: string, cutoff: number): string[] {
  const before = (column: string) => `${column} < ${Math.floor(cutoff)}`;
  return [
    `DELETE FROM ${schema}.event_v2 WHERE ${before('event_time_msec')}`,
    `DELETE FROM ${schema}.item_v2 WHERE ${before('event_time_msec')}`,
    `DELETE FROM ${schema}.session WHERE ${before('event_time_msec')}`,
    `DELETE FROM ${schema}.quarantine WHERE ${before('ingest_time_msec')}`,
  ];
}

function sqlString(value: string): string {
  return value.replace(/'/g, "''");
}
