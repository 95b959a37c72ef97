/*
 * Collector benchmark: the standalone collector with its durable buffer, side by side in one
 * run with a bare Node server that reads, decodes and parses the same bodies and discards them.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/collector.ts [--duration 10] [--overload 60]
 *
 * Needs wrk (Debian: apt-get install wrk). Both servers are single Node processes on this
 * machine; wrk runs on the same cores, so compare the two columns, not absolute numbers.
 * Options:
 *   --duration S   seconds per throughput run (10)
 *   --overload S   seconds of the memory-under-overload run (60)
 *   --runs N       throughput runs per case; the median is reported (3)
 *   --backstage      also load the collector mounted in this repository's backend, started for
 *                    the run (packages/backend, its demo project as the target, rate limits off),
 *                    at full speed and at half rate, while that project processes what it gets;
 *                    the standalone collector and the bare server alongside in the same run
 *   --backstage-url URL  the same against a backend already running: a deployed local project's
 *                    collect URL, its app id via --backstage-app
 *   --only-backstage skip the per-form and overload runs
 *   --only-overload  only the memory-under-overload run
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simulate } from '../packages/loadgen/src/simulate';

const ROOT = resolve(__dirname, '..');
const TRANSFORM = require.resolve('@backstage/cli/config/nodeTransform.cjs');

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DURATION = Number(flag('duration', '10'));
const OVERLOAD = Number(flag('overload', '60'));
const RUNS = Number(flag('runs', '3'));
const BACKSTAGE = args.includes('--backstage');
const BACKSTAGE_URL = flag('backstage-url', '');
const BACKSTAGE_APP = flag('backstage-app', 'bench');
const ONLY_BACKSTAGE = args.includes('--only-backstage');
const ONLY_OVERLOAD = args.includes('--only-overload');

type Form = 'realistic-plain' | 'realistic-gzip' | 'lean-plain' | 'lean-gzip';

/** 10-event request bodies from the generator: realistic (as the SDKs send) and lean. */
function bodies(
  form: Form,
  appId = 'bench',
): {
  files: string[];
  query: string;
  bytesPerEvent: number;
} {
  const gzip = form.endsWith('gzip');
  const { requests } = simulate({
    seed: 42,
    users: 300,
    days: 2,
    startDate: '2026-11-01',
    appId,
    platforms: [gzip ? 'Android' : 'Web'],
    eventsPerRequest: 10,
  });
  const dir = mkdtempSync(join(tmpdir(), `bench-${form}-`));
  // Re-pack the simulated events ten to a request, the body size the targets are set for.
  const all = requests.flatMap(
    r => JSON.parse(decode(r.body, gzip)) as Record<string, unknown>[],
  );
  const files: string[] = [];
  let eventBytes = 0;
  let events = 0;
  for (let i = 0; i + 10 <= all.length && files.length < 200; i += 10) {
    let chunk = all.slice(i, i + 10);
    if (form.startsWith('lean')) {
      chunk = chunk.map(e => ({
        event_type: e.event_type,
        event_id: e.event_id,
        app_id: e.app_id,
        unique_id: e.unique_id,
        device_id: e.device_id,
        timestamp: e.timestamp,
        platform: e.platform,
        attributes: { _session_id: (e.attributes as any)?._session_id },
      }));
    }
    const json = JSON.stringify(chunk);
    eventBytes += Buffer.byteLength(json);
    events += 10;
    const body = gzip
      ? require('node:zlib').gzipSync(json).toString('base64')
      : json;
    const file = join(dir, `${files.length}.body`);
    writeFileSync(file, body);
    files.push(file);
  }
  return {
    files,
    query: `appId=${appId}&platform=${gzip ? 'Android' : 'Web'}${
      gzip ? '&compression=gzip' : ''
    }`,
    bytesPerEvent: Math.round(eventBytes / events),
  };
}

function decode(body: Buffer, gzip: boolean): string {
  return gzip
    ? require('node:zlib')
        .gunzipSync(Buffer.from(body.toString(), 'base64'))
        .toString()
    : body.toString();
}

const BASELINE = `
const http = require('node:http');
const zlib = require('node:zlib');
// Reads, decodes and parses each body, then discards it: what any collector pays before durability.
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const gzip = req.url.includes('compression=gzip');
    try {
      const json = gzip ? zlib.gunzipSync(Buffer.from(body.toString(), 'base64')).toString() : body.toString();
      JSON.parse(json);
      res.writeHead(200, { 'Content-Length': '0' });
    } catch {
      res.writeHead(400, { 'Content-Length': '0' });
    }
    res.end();
  });
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

function start(
  argv: string[],
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', c => {
      out += c;
      const m = /"port":(\d+)/.exec(out);
      if (m) ok({ child, port: Number(m[1]) });
    });
    child.on('exit', code => fail(new Error(`server exited with ${code}`)));
  });
}

async function wrk(
  url: string,
  files: string[],
  seconds: number,
  connections: number,
  /** A pause before each request on a connection: paces the load below the maximum. */
  delayMs = 0,
) {
  const lua = join(tmpdir(), `bench-${process.pid}.lua`);
  writeFileSync(
    lua,
    `local bodies = {}
for _, f in ipairs({${files.map(f => JSON.stringify(f)).join(',')}}) do
  local h = io.open(f, "rb"); table.insert(bodies, h:read("*a")); h:close()
end
local i = 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, bodies[i])
end
${delayMs > 0 ? `delay = function() return ${Math.round(delayMs)} end` : ''}
local codes = {}
response = function(status) codes[status] = (codes[status] or 0) + 1 end
done = function(summary, latency, requests)
  io.write(string.format("JSON{\\"requests\\":%d,\\"seconds\\":%f,\\"p50\\":%f,\\"p99\\":%f,\\"non2xx\\":%d,\\"errors\\":%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`,
  );
  const { stdout: out } = await promisify(execFile)(
    'wrk',
    [
      '-t',
      '2',
      '-c',
      String(connections),
      '-d',
      `${seconds}s`,
      '--latency',
      '-s',
      lua,
      url,
    ],
    { encoding: 'utf8' },
  );
  const m = /JSON(\{.*\})/.exec(out);
  if (!m) throw new Error(`unexpected wrk output: ${out}`);
  const r = JSON.parse(m[1]);
  // Only answers of 200 count: a 503 is cheap and must not pass for throughput.
  return { ...r, rps: (r.requests - r.non2xx - r.errors) / r.seconds };
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Latency at a given request rate: wrk with a pause of DELAY_MS before each request on each
 * connection, and as many connections as that rate needs. The pause is not counted, so the
 * percentiles are the server's answer times at that load; the rate reached is reported too.
 * (An open-loop client in this process could not keep its schedule on two shared cores.)
 */
const DELAY_MS = 10;
async function atRate(
  url: string,
  files: string[],
  rate: number,
  seconds: number,
) {
  // Each connection sends once per (pause + answer time): a first short run measures the rate
  // the connections reach, and the measured run scales their number to the target rate.
  const connectionsFor = (answerMs: number) =>
    Math.max(2, Math.round((rate * (DELAY_MS + answerMs)) / 1000));
  const probe = await wrk(url, files, 3, connectionsFor(1), DELAY_MS);
  const connections = Math.round(
    (connectionsFor(1) * rate) / Math.max(1, probe.rps),
  );
  const r = await wrk(url, files, seconds, connections, DELAY_MS);
  return {
    p50: r.p50,
    p99: r.p99,
    errors: r.errors + r.non2xx,
    reqPerSec: r.rps,
    connections,
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** A fresh standalone collector with an empty buffer (a run writes about 1 GB). */
async function startCollector() {
  const bufferDir = mkdtempSync(join(tmpdir(), 'bench-buffer-'));
  const server = await start(
    [
      // As the collector's image runs it (plugins/clickstream-pipeline/Dockerfile).
      '--max-semi-space-size=4',
      '--require',
      TRANSFORM,
      join(ROOT, 'plugins/clickstream-pipeline/src/bin/collector.ts'),
    ],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      CLICKSTREAM_BUFFER_DIR: bufferDir,
      CLICKSTREAM_BUFFER_MAX_BYTES: String(32 * 1024 ** 3),
      CLICKSTREAM_APPS: JSON.stringify([{ appId: 'bench' }, { appId: 'shop' }]),
      NODE_ENV: 'production',
    },
  );
  return {
    ...server,
    stop() {
      server.child.kill('SIGKILL');
      rmSync(bufferDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const forms: Form[] =
    ONLY_BACKSTAGE || ONLY_OVERLOAD
      ? []
      : ['realistic-plain', 'realistic-gzip', 'lean-plain', 'lean-gzip'];
  const data = Object.fromEntries(
    (
      ['realistic-plain', 'realistic-gzip', 'lean-plain', 'lean-gzip'] as Form[]
    ).map(f => [f, bodies(f)]),
  ) as Record<Form, ReturnType<typeof bodies>>;
  const baseline = await start(['-e', BASELINE], {});
  const results: Record<string, unknown>[] = [];
  try {
    for (const form of forms) {
      const { files, query, bytesPerEvent } = data[form];
      const row: Record<string, unknown> = { form, bytesPerEvent };
      // Alternate the two servers run by run, so drift on this shared machine hits both alike.
      const runs: Record<
        'baseline' | 'collector',
        Awaited<ReturnType<typeof wrk>>[]
      > = { baseline: [], collector: [] };
      for (let i = 0; i < RUNS; i++) {
        runs.baseline.push(
          await wrk(
            `http://127.0.0.1:${baseline.port}/collect?${query}`,
            files,
            DURATION,
            64,
          ),
        );
        const collector = await startCollector();
        try {
          runs.collector.push(
            await wrk(
              `http://127.0.0.1:${collector.port}/collect?${query}`,
              files,
              DURATION,
              64,
            ),
          );
        } finally {
          collector.stop();
        }
      }
      for (const name of ['baseline', 'collector'] as const) {
        row[`${name}EventsPerSec`] = Math.round(
          median(runs[name].map(r => r.rps)) * 10,
        );
        row[`${name}P99Ms`] = median(runs[name].map(r => r.p99));
        row[`${name}Non200`] = runs[name].reduce(
          (n, r) => n + r.non2xx + r.errors,
          0,
        );
      }
      row.ratio = Number(
        (
          (row.collectorEventsPerSec as number) /
          (row.baselineEventsPerSec as number)
        ).toFixed(2),
      );
      // Light load, closed loop: 8 connections, as a handful of busy clients would send.
      const light = { baseline: [] as number[], collector: [] as number[] };
      const lightRate = { baseline: [] as number[], collector: [] as number[] };
      for (let i = 0; i < RUNS; i++) {
        const b = await wrk(
          `http://127.0.0.1:${baseline.port}/collect?${query}`,
          files,
          DURATION,
          8,
        );
        light.baseline.push(b.p99);
        lightRate.baseline.push(b.rps);
        const c8 = await startCollector();
        try {
          const c = await wrk(
            `http://127.0.0.1:${c8.port}/collect?${query}`,
            files,
            DURATION,
            8,
          );
          light.collector.push(c.p99);
          lightRate.collector.push(c.rps);
        } finally {
          c8.stop();
        }
      }
      row.light8BaselineEventsPerSec = Math.round(
        median(lightRate.baseline) * 10,
      );
      row.light8BaselineP99Ms = median(light.baseline);
      row.light8CollectorEventsPerSec = Math.round(
        median(lightRate.collector) * 10,
      );
      row.light8CollectorP99Ms = median(light.collector);
      const half = (row.collectorEventsPerSec as number) / 10 / 2;
      // Latency at half the collector's maximum, the same rate against both servers.
      row.halfRateReqPerSec = Math.round(half);
      const bare = await atRate(
        `http://127.0.0.1:${baseline.port}/collect?${query}`,
        files,
        half,
        DURATION,
      );
      row.halfRateBaselineReqPerSec = Math.round(bare.reqPerSec);
      row.halfRateBaselineP50Ms = Number(bare.p50.toFixed(2));
      row.halfRateBaselineP99Ms = Number(bare.p99.toFixed(2));
      const collector = await startCollector();
      try {
        const latency = await atRate(
          `http://127.0.0.1:${collector.port}/collect?${query}`,
          files,
          half,
          DURATION,
        );
        row.halfRateCollectorReqPerSec = Math.round(latency.reqPerSec);
        row.halfRateConnections = latency.connections;
        row.halfRateP50Ms = Number(latency.p50.toFixed(2));
        row.halfRateP99Ms = Number(latency.p99.toFixed(2));
        row.halfRateErrors = latency.errors + bare.errors;
      } finally {
        collector.stop();
      }
      results.push(row);
      console.error(JSON.stringify(row));
    }

    // Memory under overload: many more connections than the process can serve.
    let memory;
    const collector = ONLY_BACKSTAGE ? undefined : await startCollector();
    if (collector)
      try {
        const samples: number[] = [];
        const sampler = setInterval(
          () => samples.push(rssMb(collector.child.pid!)),
          500,
        );
        const overload = await wrk(
          `http://127.0.0.1:${collector.port}/collect?${data['realistic-plain'].query}`,
          data['realistic-plain'].files,
          OVERLOAD,
          1024,
        );
        clearInterval(sampler);
        memory = {
          seconds: OVERLOAD,
          connections: 1024,
          requests: overload.requests,
          non200: overload.non2xx,
          rssMaxMb: Math.round(Math.max(...samples)),
          rssMedianMb: Math.round(median(samples)),
        };
      } finally {
        collector.stop();
      }
    console.error(JSON.stringify({ overload: memory }));

    const backstage =
      BACKSTAGE || BACKSTAGE_URL
        ? await benchBackstage(baseline.port)
        : undefined;
    console.log(JSON.stringify({ results, memory, backstage }, null, 2));
  } finally {
    baseline.child.kill('SIGKILL');
  }
}

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = require('node:net').createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/**
 * This repository's backend (packages/backend) with its own data in a temporary directory, as
 * `scripts/start.sh` runs it but without the frontend's dev server: its demo project, renamed
 * `bench` and with one day of history, is the target. Rate limits are off, as they would stop
 * a load from one address at once.
 */
async function startBackstage() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-backstage-'));
  mkdirSync(join(dir, 'sqlite'));
  const port = await freePort();
  const config = join(dir, 'app-config.bench.yaml');
  writeFileSync(
    config,
    JSON.stringify({
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { port, host: '127.0.0.1' },
        database: {
          client: 'better-sqlite3',
          connection: { directory: join(dir, 'sqlite') },
        },
      },
      clickstream: {
        dataDirectory: join(dir, 'clickstream'),
        collector: { rateLimit: { perIp: 0, perApp: 0 } },
        demo: {
          enabled: true,
          projectId: 'bench',
          historyDays: 1,
          historyUsers: 10,
          usersPerMinute: 0,
        },
      },
    }),
  );
  const log = openSync(join(dir, 'backend.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      TRANSFORM,
      'src/index.ts',
      '--config',
      '../../app-config.yaml',
      '--config',
      config,
    ],
    { cwd: join(ROOT, 'packages/backend'), stdio: ['ignore', log, log] },
  );
  const base = `http://127.0.0.1:${port}/api/clickstream/collect/bench`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the backend exited; see ${join(dir, 'backend.log')}`);
    }
    const ready = await fetch(`${base}/ping?appId=shop`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `the demo project did not deploy in 5 minutes; see ${dir}`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  return {
    url: base,
    appId: 'shop',
    pid: child.pid!,
    stop() {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The processing child processes the backend started (one per deployed local project). */
function processingChildren(backendPid: number): number[] {
  const children = readFileSync(
    `/proc/${backendPid}/task/${backendPid}/children`,
    'utf8',
  )
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return children.filter(pid =>
    readFileSync(`/proc/${pid}/environ`, 'utf8').includes(
      'CLICKSTREAM_PROCESSING_PROCESS',
    ),
  );
}

/** Runs `work`, answering its result with the share of a core the processes used meanwhile. */
async function withCpu<T>(pids: number[], work: () => Promise<T>) {
  const before = pids.map(cpuSeconds);
  const started = Date.now();
  const result = await work();
  const seconds = (Date.now() - started) / 1000;
  const used = pids.reduce((n, pid, i) => n + cpuSeconds(pid) - before[i], 0);
  return { result, cores: Number((used / seconds).toFixed(2)) };
}

/**
 * The collector mounted in a Backstage backend against the standalone collector and the bare
 * server, the same bodies, alternating run by run: at full speed (64 connections), then at half
 * the mounted collector's full speed. The target project's processing runs all the while (it
 * cannot keep up with either load), and the share of a core it used is reported.
 */
async function benchBackstage(baselinePort: number) {
  const started = BACKSTAGE ? await startBackstage() : undefined;
  try {
    const appId = started?.appId ?? BACKSTAGE_APP;
    const { files, query } = bodies('realistic-plain', appId);
    const url = `${started?.url ?? BACKSTAGE_URL}?${query}`;
    const processing = started ? processingChildren(started.pid) : [];
    const runsB = [];
    const runsS = [];
    const runsBare = [];
    const processingCores = [];
    for (let i = 0; i < RUNS; i++) {
      const b = await withCpu(processing, () => wrk(url, files, DURATION, 64));
      runsB.push(b.result);
      processingCores.push(b.cores);
      const standalone = await startCollector();
      try {
        runsS.push(
          await wrk(
            `http://127.0.0.1:${standalone.port}/collect?${query}`,
            files,
            DURATION,
            64,
          ),
        );
      } finally {
        standalone.stop();
      }
      runsBare.push(
        await wrk(
          `http://127.0.0.1:${baselinePort}/collect?${query}`,
          files,
          DURATION,
          64,
        ),
      );
    }
    const eps = (rs: Awaited<ReturnType<typeof wrk>>[]) =>
      Math.round(median(rs.map(r => r.rps)) * 10);
    const half = median(runsB.map(r => r.rps)) / 2;
    const halfB = await withCpu(processing, () =>
      atRate(url, files, half, DURATION),
    );
    const standalone = await startCollector();
    let halfS;
    try {
      halfS = await atRate(
        `http://127.0.0.1:${standalone.port}/collect?${query}`,
        files,
        half,
        DURATION,
      );
    } finally {
      standalone.stop();
    }
    const result = {
      form: 'realistic-plain',
      backstageEventsPerSec: eps(runsB),
      backstageP99Ms: median(runsB.map(r => r.p99)),
      backstageNon200: runsB.reduce((n, r) => n + r.non2xx + r.errors, 0),
      standaloneEventsPerSec: eps(runsS),
      baselineEventsPerSec: eps(runsBare),
      backstageVsStandalone: Number((eps(runsB) / eps(runsS)).toFixed(2)),
      processingChildren: processing.length,
      processingCoresAtFullSpeed: median(processingCores),
      halfRateReqPerSec: Math.round(half),
      halfRateBackstage: {
        reached: Math.round(halfB.result.reqPerSec),
        p50Ms: Number(halfB.result.p50.toFixed(2)),
        p99Ms: Number(halfB.result.p99.toFixed(2)),
        errors: halfB.result.errors,
        processingCores: halfB.cores,
      },
      halfRateStandalone: {
        reached: Math.round(halfS.reqPerSec),
        p50Ms: Number(halfS.p50.toFixed(2)),
        p99Ms: Number(halfS.p99.toFixed(2)),
        errors: halfS.errors,
      },
    };
    console.error(JSON.stringify({ backstage: result }));
    return result;
  } finally {
    started?.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
