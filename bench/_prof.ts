import { simulate } from '@clickstream/loadgen';
import {
  DuckDbWarehouse,
  IngestRecord,
  openGeoLocator,
  Processor,
} from '@clickstream/backstage-plugin-clickstream-node';
import { DuckDBConnection, DuckDBAppender } from '@duckdb/node-api';
const T: Record<string, number> = {};
const wrap = (proto: any, name: string, label: (a: any[]) => string) => {
  const orig = proto[name];
  proto[name] = function (...args: any[]) {
    const t = performance.now();
    const r = orig.apply(this, args);
    const done = () => {
      const k = label(args);
      T[k] = (T[k] ?? 0) + performance.now() - t;
    };
    if (r && typeof r.then === 'function')
      return r.then((v: any) => {
        done();
        return v;
      });
    done();
    return r;
  };
};
wrap(DuckDBConnection.prototype, 'run', a =>
  String(a[0]).slice(0, 30).replace(/\s+/g, ' '),
);
wrap(
  DuckDBConnection.prototype,
  'runAndReadAll',
  a => 'read ' + String(a[0]).slice(0, 30).replace(/\s+/g, ' '),
);
wrap(DuckDBAppender.prototype, 'closeSync', () => 'appender.close');
const B = Number(process.env.B ?? 2000);
async function main() {
  const { requests } = simulate({
    seed: 42,
    users: 1500,
    days: 3,
    startDate: '2026-11-01',
    appId: 'web',
  });
  const records: IngestRecord[] = requests.map((r, i) => ({
    body: r.body,
    ingestTime: r.sendAt + 500,
    sourceIp: r.headers['x-forwarded-for'] ?? '127.0.0.1',
    userAgent: r.headers['user-agent'] ?? '',
    requestId: `r${i}`,
    query: { ...r.query, upload_timestamp: String(r.sendAt) },
  }));
  const geo = await openGeoLocator();
  const p = new Processor({
    projectId: 'b',
    apps: new Map([['web', { appId: 'web', timezone: 'UTC' }]]),
    dataFreshnessHours: 1e5,
    geo,
  });
  const batches = [];
  let t = performance.now();
  for (let i = 0; i < records.length; i += B)
    batches.push(p.process(records.slice(i, i + B)));
  const n = batches.reduce((a, b) => a + b.events.length, 0);
  console.log(
    'process/s',
    Math.round((n / (performance.now() - t)) * 1000),
    'users',
    batches.reduce((a, b) => a + b.users.length, 0),
    'sessions',
    batches.reduce((a, b) => a + b.sessions.length, 0),
    'items',
    batches.reduce((a, b) => a + b.items.length, 0),
  );
  const w = await DuckDbWarehouse.open(':memory:');
  t = performance.now();
  for (const b of batches) await w.load(b);
  const total = performance.now() - t;
  console.log(
    'load/s',
    Math.round((n / total) * 1000),
    'total ms',
    Math.round(total),
  );
  for (const [k, v] of Object.entries(T).sort((a, b) => b[1] - a[1]))
    console.log(Math.round(v), k);
}
main();
