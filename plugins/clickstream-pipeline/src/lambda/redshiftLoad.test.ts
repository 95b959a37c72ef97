import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { IngestRecord } from '../buffer/record';
import { Processor } from '../processor/Processor';
import { ingestRecord, sdkEvent } from '../testing/sdkEvents';
import {
  DUCKDB_TYPES,
  duckDbCreateTable,
  LOAD_LOG_TABLE,
} from '../warehouse/ddl';
import { DuckDbWarehouse } from '../warehouse/DuckDbWarehouse';
import { warehouseTables } from '../schema/tables';
import { processToDataLake } from './dataLake';
import { DataLakeStore, LoadRunner, RedshiftLoader } from './redshiftLoad';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const BUCKET = 'clickstream-shop-data-lake';

class MemoryStore implements DataLakeStore {
  readonly objects = new Map<string, Buffer>();
  async list(prefix: string) {
    return [...this.objects.keys()].filter(k => k.startsWith(prefix));
  }
  async put(key: string, body: Buffer) {
    this.objects.set(key, body);
  }
}

/** Redshift's date arithmetic, in DuckDB's words. */
const dates = (sql: string) =>
  sql
    .replace(
      /DATEADD\(day, -(\d+), GETDATE\(\)\)/g,
      "(now() - INTERVAL '$1 days')",
    )
    .replace(
      /DATEDIFF\(hour, ([^,]+), GETDATE\(\)\)/g,
      "date_diff('hour', $1, now()::TIMESTAMP)",
    );

/**
 * Runs the loader's Redshift statements on DuckDB, translating the few Redshift-only parts:
 * COPY (read the manifest's objects as COPY's JSON 'auto' would), CREATE TABLE LIKE, and the
 * date functions. The MERGE and INSERT statements run as generated. LOCK is left out: DuckDB
 * has no table locks, and this one connection runs one transaction at a time anyway.
 */
class DuckDbAsRedshift implements LoadRunner {
  readonly executed: string[][] = [];
  private constructor(
    readonly db: DuckDBConnection,
    private readonly store: MemoryStore,
    private readonly dir: string,
  ) {}

  static async create(store: MemoryStore, dir: string) {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run('CREATE SCHEMA shop');
    for (const table of warehouseTables) {
      await db.run(
        duckDbCreateTable(table).replace(
          'CREATE TABLE IF NOT EXISTS ',
          'CREATE TABLE shop.',
        ),
      );
    }
    await db.run(
      `CREATE TABLE shop.${LOAD_LOG_TABLE} (object_key VARCHAR, loaded_at TIMESTAMP DEFAULT now())`,
    );
    return new DuckDbAsRedshift(db, store, dir);
  }

  async query(sql: string) {
    return (await this.db.runAndReadAll(dates(sql))).getRowObjectsJS();
  }

  async execute(sqls: string[]) {
    this.executed.push(sqls);
    await this.db.run('BEGIN TRANSACTION');
    try {
      for (const sql of sqls) await this.#run(sql);
      await this.db.run('COMMIT');
    } catch (e) {
      await this.db.run('ROLLBACK');
      throw e;
    }
  }

  async #run(sql: string) {
    if (/^LOCK [\w.]+$/.test(sql)) return;
    const like = /^CREATE TEMP TABLE (\w+) \(LIKE ([\w.]+)\)$/.exec(sql);
    if (like) {
      await this.db.run(
        `CREATE OR REPLACE TEMP TABLE ${like[1]} AS SELECT * FROM ${like[2]} LIMIT 0`,
      );
      return;
    }
    const copy =
      /^COPY ([\w.]+)(?: \((\w+)\))? FROM 's3:\/\/[^/]+\/([^']+)'/.exec(sql);
    if (copy) {
      const [, table, column, key] = copy;
      const files = sql.includes(' MANIFEST')
        ? JSON.parse(this.store.objects.get(key)!.toString()).entries.map(
            (e: { url: string }) => e.url.replace(`s3://${BUCKET}/`, ''),
          )
        : [key];
      const name = table.replace(/^(temp\.|shop\.)?(stage_)?/, '');
      const definition = warehouseTables.find(t => t.name === name);
      for (const file of files) {
        const path = join(this.dir, file.replace(/\//g, '_'));
        writeFileSync(path, this.store.objects.get(file)!);
        const columns = definition
          ? definition.columns
              .map(([c, type]) => `${c}: '${DUCKDB_TYPES[type]}'`)
              .join(', ')
          : `${column}: 'VARCHAR'`;
        await this.db.run(
          `INSERT INTO ${table} ${
            column ? `(${column})` : 'BY NAME'
          } SELECT * FROM read_json('${path}', format = 'newline_delimited', compression = 'gzip', columns = {${columns}})`,
        );
      }
      return;
    }
    await this.db.run(
      dates(sql).replace(/^CREATE TEMP TABLE/, 'CREATE OR REPLACE TEMP TABLE'),
    );
  }
}

const visit = (
  user: string,
  at: number,
  options: { eventId?: string; userId?: string; referrer?: string } = {},
): IngestRecord =>
  ingestRecord(
    [
      sdkEvent({
        name: '_page_view',
        at,
        user,
        session: `${user}-s1`,
        sessionStart: NOW - 10 * HOUR,
        eventId: options.eventId,
        userId: options.userId,
        referrer: options.referrer,
        pageUrl: 'https://shop.example.com/',
      }),
    ],
    { ingestTime: at + 1000, uploadTime: at + 500 },
  );

/** Two processing batches: a duplicate across them, a login, and a source found later. */
const BATCHES: IngestRecord[][] = [
  [
    visit('u1', NOW - 9 * HOUR, { eventId: 'dup' }),
    visit('u2', NOW - 8 * HOUR),
  ],
  [
    visit('u1', NOW - 9 * HOUR, { eventId: 'dup' }),
    visit('u1', NOW - 2 * HOUR, { userId: 'alice' }),
    visit('u2', NOW - HOUR, { referrer: 'https://www.google.com/' }),
  ],
];

/** A user whose first visit (from a search engine) arrives after their later visits. */
const LATER_BATCHES: IngestRecord[][] = [
  [visit('u3', NOW - 3 * HOUR, { userId: 'bob' })],
  [visit('u3', NOW - 2 * HOUR, { userId: 'carol' })],
  [visit('u3', NOW - 5 * HOUR, { referrer: 'https://www.bing.com/' })],
];

// Each case opens two DuckDB databases and builds the embedded one's rollups: seconds on a
// busy machine.
jest.setTimeout(30_000);

describe('RedshiftLoader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redshift-load-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const processor = () =>
    new Processor({
      projectId: 'demo',
      apps: new Map([['shop', { appId: 'shop', timezone: 'UTC' }]]),
      dataFreshnessHours: 72,
      now: () => NOW,
    });

  async function loader(store: MemoryStore, maxObjectsPerLoad?: number) {
    const runner = await DuckDbAsRedshift.create(store, dir);
    return {
      runner,
      loader: new RedshiftLoader({
        store,
        runner,
        bucket: BUCKET,
        iamRole: 'arn:aws:iam::123456789012:role/copy',
        dataFreshnessHours: 72,
        dataRetentionDays: 365,
        maxObjectsPerLoad,
      }),
    };
  }

  /** Every table's rows, without the load time, in a stable order. */
  async function contents(db: DuckDBConnection, schema: string) {
    const result: Record<string, unknown[]> = {};
    for (const table of warehouseTables) {
      const columns = table.columns
        .map(([c]) => c)
        .filter(c => c !== 'created_time_msec');
      result[table.name] = (
        await db.runAndReadAll(
          `SELECT ${columns.join(', ')} FROM ${schema}.${
            table.name
          } ORDER BY ${table.key.join(', ')}`,
        )
      ).getRowObjectsJS();
    }
    return result;
  }

  it('loads the data lake into the same rows as the embedded warehouse loads', async () => {
    const store = new MemoryStore();
    const embedded = await DuckDbWarehouse.open(':memory:');
    const { runner, loader: load } = await loader(store);
    for (const [i, records] of BATCHES.entries()) {
      await embedded.load(processor().process(records));
      await processToDataLake(records, processor(), store, NOW);
      // A load after each batch, as the schedule would run them.
      const result = await load.loadApp('shop', NOW + i * HOUR);
      expect(result.objects.event_v2).toBe(1);
    }

    const expected = await contents((embedded as any).writer, 'main');
    const loaded = await contents(runner.db, 'shop');
    expect(expected.event_v2).toHaveLength(4);
    expect(loaded).toEqual(expected);
    const users = loaded.user_v2 as Array<Record<string, unknown>>;
    expect(users.find(u => u.user_pseudo_id === 'u1')?.user_id).toBe('alice');
    const sessions = loaded.session as Array<Record<string, unknown>>;
    expect(sessions.find(s => s.user_pseudo_id === 'u2')?.session_source).toBe(
      'Google',
    );
  });

  it('merges the batches of one load among themselves as the embedded warehouse merges them one by one', async () => {
    const store = new MemoryStore();
    const embedded = await DuckDbWarehouse.open(':memory:');
    const { runner, loader: load } = await loader(store);
    // Several processing batches reach the data lake before the schedule runs a load: the
    // loader reduces their staged users and sessions to one row per key first.
    for (const records of [...BATCHES, ...LATER_BATCHES]) {
      await embedded.load(processor().process(records));
      await processToDataLake(records, processor(), store, NOW);
    }
    const result = await load.loadApp('shop', NOW);
    expect(result.objects.event_v2).toBe(BATCHES.length + LATER_BATCHES.length);

    const expected = await contents((embedded as any).writer, 'main');
    expect(await contents(runner.db, 'shop')).toEqual(expected);
    const users = expected.user_v2 as Array<Record<string, unknown>>;
    expect(users.find(u => u.user_pseudo_id === 'u3')).toMatchObject({
      // The earliest touch, though it arrived last; the newest user id.
      first_traffic_source: 'Bing',
      user_id: 'carol',
    });
  });

  it('loads each object once, records it in the same transaction, and writes manifests', async () => {
    const store = new MemoryStore();
    const { runner, loader: load } = await loader(store);
    await processToDataLake(BATCHES[1], processor(), store, NOW);
    const first = await load.loadApp('shop', NOW);
    expect(first.objects).toEqual({
      event_v2: 1,
      user_v2: 1,
      session: 1,
    });

    const manifestKey = [...store.objects.keys()].find(k =>
      k.endsWith('/event_v2.manifest'),
    )!;
    expect(manifestKey).toMatch(/^_loads\/app_id=shop\//);
    const manifest = JSON.parse(store.objects.get(manifestKey)!.toString());
    expect(manifest.entries).toEqual([
      {
        url: expect.stringMatching(
          new RegExp(
            `^s3://${BUCKET}/event_v2/app_id=shop/event_date=2026-11-20/.+\\.ndjson\\.gz$`,
          ),
        ),
        mandatory: true,
      },
    ]);
    const log = [...store.objects].find(([k]) =>
      k.endsWith('loaded.ndjson.gz'),
    )!;
    expect(gunzipSync(log[1]).toString().trim().split('\n')).toHaveLength(3);

    // Nothing new: only retention and the mark of a complete run.
    expect(await load.loadApp('shop', NOW + HOUR)).toEqual({
      appId: 'shop',
      objects: {},
      more: false,
    });
    expect(runner.executed).toHaveLength(2);
    expect(runner.executed[1].some(s => s.startsWith('COPY'))).toBe(false);
    expect(runner.executed[1]).toContain(
      "INSERT INTO shop.clickstream_load_log (object_key) VALUES ('run-complete/')",
    );
    const sqls = runner.executed[0];
    // Before anything else, so two loads of one app never overlap.
    expect(sqls[0]).toBe('LOCK shop.clickstream_load_log');
    expect(sqls.filter(s => s.startsWith('COPY'))).toEqual([
      expect.stringContaining(
        "IAM_ROLE 'arn:aws:iam::123456789012:role/copy' FORMAT AS JSON 'auto' GZIP MANIFEST",
      ),
      expect.stringContaining('GZIP MANIFEST'),
      expect.stringContaining('GZIP MANIFEST'),
      expect.stringMatching(/^COPY shop\.clickstream_load_log \(object_key\)/),
    ]);
    expect(sqls.length).toBeLessThanOrEqual(40); // the Data API's batch limit
  });

  it('leaves the objects for the next run when a load fails', async () => {
    const store = new MemoryStore();
    const { runner, loader: load } = await loader(store);
    await processToDataLake(BATCHES[0], processor(), store, NOW);
    const execute = runner.execute.bind(runner);
    runner.execute = async sqls =>
      execute([...sqls, 'SELECT * FROM shop.no_such_table']);
    await expect(load.loadApp('shop', NOW)).rejects.toThrow(/no_such_table/);
    expect((await contents(runner.db, 'shop')).event_v2).toHaveLength(0);

    runner.execute = execute;
    expect((await load.loadApp('shop', NOW)).objects.event_v2).toBe(1);
    expect((await contents(runner.db, 'shop')).event_v2).toHaveLength(2);
  });

  it('takes whole batches up to the configured number of objects a run, users and sessions with their events', async () => {
    const store = new MemoryStore();
    const { loader: load } = await loader(store, 3);
    // Two processor batches of three objects each (events, users, sessions).
    await processToDataLake(BATCHES[0], processor(), store, NOW);
    await processToDataLake(BATCHES[1], processor(), store, NOW);
    const whole = { event_v2: 1, user_v2: 1, session: 1 };
    expect(await load.loadApp('shop', NOW)).toEqual({
      appId: 'shop',
      objects: whole,
      more: true,
    });
    expect((await load.loadApp('shop', NOW)).objects).toEqual(whole);
    expect((await load.loadApp('shop', NOW)).objects).toEqual({});

    // A batch larger than the budget goes alone rather than never.
    const alone = new MemoryStore();
    const { loader: tiny } = await loader(alone, 1);
    await processToDataLake(BATCHES[1], processor(), alone, NOW);
    expect((await tiny.loadApp('shop', NOW)).objects).toEqual(whole);
  });

  it('deletes rows older than the retention', async () => {
    const store = new MemoryStore();
    const { runner, loader: load } = await loader(store);
    await processToDataLake(BATCHES[0], processor(), store, NOW);
    await load.loadApp('shop', NOW);
    // 365 days after the events, a run with nothing new to load still applies retention.
    const later = NOW + 365 * 24 * HOUR - 8.5 * HOUR;
    expect((await load.loadApp('shop', later)).objects).toEqual({});
    const events = (await contents(runner.db, 'shop')).event_v2 as Array<
      Record<string, unknown>
    >;
    // u1's event (9 hours before NOW) is past the retention; u2's (8 hours before) is not.
    expect(events.map(e => e.user_pseudo_id)).toEqual(['u2']);
  });

  /** Moves the load log's times back, as if the runs had happened that long ago. */
  const backdate = (runner: DuckDbAsRedshift, days: number) =>
    runner.db.run(
      `UPDATE shop.${LOAD_LOG_TABLE} SET loaded_at = loaded_at - INTERVAL '${days} days'`,
    );

  it('lists what was written since the last complete run, however slow the schedule', async () => {
    const store = new MemoryStore();
    const { runner, loader: load } = await loader(store);
    await processToDataLake(BATCHES[0], processor(), store, NOW);
    expect((await load.loadApp('shop', NOW)).more).toBe(false);
    // A weekly schedule: the next run comes seven days later, and finds a batch processed the
    // day after the last run, older than the freshness window of that run.
    await backdate(runner, 7);
    await processToDataLake(BATCHES[1], processor(), store, NOW + 24 * HOUR);
    expect((await load.loadApp('shop', NOW + 7 * 24 * HOUR)).objects).toEqual({
      event_v2: 1,
      user_v2: 1,
      session: 1,
    });
    expect((await contents(runner.db, 'shop')).event_v2).toHaveLength(4);
  });

  it('keeps a backlog left by the object limit in view until it is loaded, however late the next run', async () => {
    const store = new MemoryStore();
    const { runner, loader: load } = await loader(store, 3);
    await processToDataLake(BATCHES[0], processor(), store, NOW);
    await processToDataLake(BATCHES[1], processor(), store, NOW);
    expect((await load.loadApp('shop', NOW)).more).toBe(true);
    // The next run, three weeks on: the batch left behind is still listed.
    await backdate(runner, 21);
    const later = await load.loadApp('shop', NOW + 21 * 24 * HOUR);
    expect(later).toMatchObject({
      objects: { event_v2: 1, user_v2: 1, session: 1 },
      more: false,
    });
    expect((await contents(runner.db, 'shop')).event_v2).toHaveLength(4);
  });
});
