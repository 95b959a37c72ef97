import { writeFileSync } from 'node:fs';
import { Platform, PLATFORMS } from './protocol';
import { checkEndpoint, EndpointError, send, SendResult } from './send';
import { simulate } from './simulate';

const USAGE = `Usage: clickstream-loadgen --app <appId> [--endpoint <url> | --dry-run] [options]

Simulates users of an app the way the Clickstream SDKs behave, sends their events to a
collector, and prints the ground truth (JSON) of what it simulated on stdout.

  --endpoint <url>         collect URL, e.g. http://localhost:7007/api/clickstream/collect/<projectId>
  --app <appId>            app id of a registered app (required)
  --users <n>              simulated people (default 100)
  --days <n>               simulated days (default 7)
  --start <YYYY-MM-DD>     first simulated day, UTC (default: <days> days before today)
  --seed <n>               seed; same seed and flags give byte-identical requests (default 1)
  --platforms <list>       comma-separated: Web,Android,iOS (default all)
  --events-per-request <n> cap per request (default: SDK defaults; Web >1 = Batch mode)
  --concurrency <n>        requests in flight (default 8)
  --retries <n>            further attempts for 503/5xx/network errors (default 3)
  --upload-time <mode>     simulated (default) | now: the upload_timestamp sent
  --allow-remote           allow a non-loopback endpoint
  --dry-run                generate only; send nothing
  --out <file>             also write the ground truth JSON to <file>
  --help                   this text
`;

/** A bad command line: exit code 2. */
class UsageError extends Error {}

export interface CliOptions {
  endpoint?: string;
  app: string;
  users: number;
  days: number;
  start: string;
  seed: number;
  platforms: Platform[];
  eventsPerRequest?: number;
  concurrency: number;
  retries: number;
  uploadTime: 'simulated' | 'now';
  allowRemote: boolean;
  dryRun: boolean;
  out?: string;
}

const VALUE_FLAGS = new Set([
  'endpoint',
  'app',
  'users',
  'days',
  'start',
  'seed',
  'platforms',
  'events-per-request',
  'concurrency',
  'retries',
  'upload-time',
  'out',
]);
const BOOLEAN_FLAGS = new Set(['dry-run', 'allow-remote', 'help']);

function integer(
  flag: string,
  value: string,
  min: number,
  max: number,
): number {
  if (!/^-?\d+$/.test(value)) {
    throw new UsageError(`--${flag} must be an integer, got '${value}'`);
  }
  const n = Number(value);
  if (n < min || n > max) {
    throw new UsageError(`--${flag} must be from ${min} to ${max}, got ${n}`);
  }
  return n;
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === value;
}

function defaultStart(days: number, now: Date): string {
  const today = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  return new Date(today - days * 86_400_000).toISOString().slice(0, 10);
}

/** Parses the command line; throws UsageError for anything wrong. */
export function parseArgs(
  argv: readonly string[],
  now = new Date(),
): CliOptions | 'help' {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`unexpected argument '${arg}'`);
    const [, name, inline] = match;
    if (BOOLEAN_FLAGS.has(name)) {
      if (inline !== undefined) {
        throw new UsageError(`--${name} takes no value`);
      }
      flags.add(name);
    } else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? argv[++i];
      if (
        value === undefined ||
        (inline === undefined && value.startsWith('--'))
      ) {
        throw new UsageError(`--${name} needs a value`);
      }
      if (values.has(name)) throw new UsageError(`--${name} given twice`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown flag --${name}`);
    }
  }
  if (flags.has('help')) return 'help';

  const app = values.get('app');
  if (!app) throw new UsageError('--app is required');
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(app)) {
    throw new UsageError(
      `--app must be 1-128 letters, digits, _ or -, got '${app}'`,
    );
  }
  const days = integer('days', values.get('days') ?? '7', 1, 366);
  const start = values.get('start') ?? defaultStart(days, now);
  if (!isCalendarDate(start)) {
    throw new UsageError(`--start must be a date YYYY-MM-DD, got '${start}'`);
  }
  const platforms = (values.get('platforms') ?? PLATFORMS.join(','))
    .split(',')
    .map(p => p.trim())
    .filter(Boolean);
  if (platforms.length === 0) {
    throw new UsageError('--platforms needs at least one platform');
  }
  for (const platform of platforms) {
    const known = PLATFORMS.find(
      p => p.toLowerCase() === platform.toLowerCase(),
    );
    if (!known) {
      throw new UsageError(
        `unknown platform '${platform}' in --platforms (use ${PLATFORMS.join(
          ',',
        )})`,
      );
    }
  }
  const uploadTime = values.get('upload-time') ?? 'simulated';
  if (uploadTime !== 'simulated' && uploadTime !== 'now') {
    throw new UsageError(
      `--upload-time must be 'simulated' or 'now', got '${uploadTime}'`,
    );
  }
  const users = integer('users', values.get('users') ?? '100', 0, 10_000_000);
  const seed = integer(
    'seed',
    values.get('seed') ?? '1',
    -2147483648,
    4294967295,
  );
  const concurrency = integer(
    'concurrency',
    values.get('concurrency') ?? '8',
    1,
    1024,
  );
  const retries = integer('retries', values.get('retries') ?? '3', 0, 20);
  const eventsPerRequest = values.has('events-per-request')
    ? integer('events-per-request', values.get('events-per-request')!, 1, 1000)
    : undefined;
  const dryRun = flags.has('dry-run');
  const allowRemote = flags.has('allow-remote');
  const endpoint = values.get('endpoint');
  if (!dryRun && !endpoint) {
    throw new UsageError('--endpoint is required unless --dry-run is given');
  }
  if (endpoint) {
    try {
      checkEndpoint(endpoint, allowRemote);
    } catch (e) {
      if (e instanceof EndpointError) throw new UsageError(e.message);
      throw e;
    }
  }
  return {
    endpoint,
    app,
    users,
    days,
    start,
    seed,
    platforms: PLATFORMS.filter(p =>
      platforms.some(q => q.toLowerCase() === p.toLowerCase()),
    ),
    eventsPerRequest,
    concurrency,
    retries,
    uploadTime,
    allowRemote,
    dryRun,
    out: values.get('out'),
  };
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function sendSummary(r: SendResult, endpoint: string): string {
  const statuses = Object.entries(r.byStatus)
    .map(([status, n]) => `${status}:${n}`)
    .join(' ');
  const parts = [
    `; sent to ${endpoint} in ${(r.durationMs / 1000).toFixed(1)} s:`,
    `accepted ${r.accepted}/${r.requests} requests (${r.acceptedEvents} events),`,
    `${r.failed} failed, ${r.retries} retries [${statuses}],`,
    `latency p50 ${r.latencyMs.p50} ms p95 ${r.latencyMs.p95} ms p99 ${r.latencyMs.p99} ms,`,
    `${r.requestsPerSecond} req/s ${r.eventsPerSecond} events/s`,
  ];
  if (r.errors.length) parts.push(`; first error: ${r.errors[0]}`);
  return parts.join(' ');
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 not everything accepted, 2 bad flags). */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`clickstream-loadgen: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (options === 'help') {
    io.stdout(USAGE);
    return 0;
  }

  const began = performance.now();
  const { requests, truth } = simulate({
    seed: options.seed,
    users: options.users,
    days: options.days,
    startDate: options.start,
    appId: options.app,
    platforms: options.platforms,
    eventsPerRequest: options.eventsPerRequest,
  });
  const generatedMs = performance.now() - began;
  let summary = [
    `loadgen: app ${truth.appId}, seed ${truth.seed}, ${options.users} simulated users over`,
    `${truth.days} day(s) from ${truth.startDate}: ${truth.users} pseudo users,`,
    `${truth.sessions} sessions, ${truth.events} events in ${truth.requests} requests`,
    `(${mb(truth.bytes)}), generated in ${(generatedMs / 1000).toFixed(2)} s`,
  ].join(' ');

  let code = 0;
  if (!options.dryRun) {
    const result = await send(requests, {
      endpoint: options.endpoint!,
      concurrency: options.concurrency,
      retries: options.retries,
      allowRemote: options.allowRemote,
      uploadTimestamp: options.uploadTime,
    });
    summary += sendSummary(result, options.endpoint!);
    if (result.failed > 0) code = 1;
  } else {
    summary += '; dry run, nothing sent';
  }

  const json = `${JSON.stringify(truth, null, 2)}\n`;
  if (options.out) writeFileSync(options.out, json);
  io.stdout(json);
  io.stderr(`${summary}\n`);
  return code;
}

/** Entry point of the `clickstream-loadgen` bin and the `loadgen` script. */
export function runCli(): void {
  main(process.argv.slice(2), {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
  }).then(
    code => {
      process.exitCode = code;
    },
    error => {
      process.stderr.write(`clickstream-loadgen: ${error?.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) {
  runCli();
}
