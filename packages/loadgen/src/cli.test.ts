import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, parseArgs } from './cli';

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: t => (stdout += t),
    stderr: t => (stderr += t),
  });
  return { code, stdout, stderr };
}

const BASE = ['--app', 'shop', '--users', '20', '--days', '2', '--seed', '7'];

describe('cli', () => {
  it('prints the ground truth of a dry run on stdout and a summary on stderr', async () => {
    const { code, stdout, stderr } = await run([
      ...BASE,
      '--start',
      '2026-01-05',
      '--dry-run',
    ]);
    expect(code).toBe(0);
    const truth = JSON.parse(stdout);
    expect(truth).toMatchObject({
      appId: 'shop',
      seed: 7,
      startDate: '2026-01-05',
      days: 2,
    });
    expect(truth.events).toBeGreaterThan(0);
    expect(stderr).toMatch(/^loadgen: app shop, seed 7, 20 simulated users/);
    expect(stderr).toMatch(/dry run, nothing sent\n$/);
    expect(stderr.split('\n')).toHaveLength(2);

    const again = await run([...BASE, '--start=2026-01-05', '--dry-run']);
    expect(again.stdout).toBe(stdout);
  });

  it('writes the truth to --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadgen-'));
    try {
      const file = join(dir, 'truth.json');
      const { code, stdout } = await run([...BASE, '--dry-run', '--out', file]);
      expect(code).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('defaults --start to the days before today (UTC)', () => {
    const options = parseArgs(
      ['--app', 'a', '--days', '3', '--dry-run'],
      new Date('2026-03-10T15:00:00Z'),
    );
    expect(options).toMatchObject({ start: '2026-03-07', days: 3 });
  });

  it('accepts platforms case-insensitively and keeps their canonical order', () => {
    expect(
      parseArgs(['--app', 'a', '--dry-run', '--platforms', 'ios,web']),
    ).toMatchObject({ platforms: ['Web', 'iOS'] });
  });

  it.each([
    [['--users', '5', '--dry-run'], /--app is required/],
    [[...BASE, '--users', 'abc', '--dry-run'], /--users given twice/],
    [
      ['--app', 'shop', '--users', 'abc', '--dry-run'],
      /--users must be an integer/,
    ],
    [['--app', 'shop', '--days', '0', '--dry-run'], /--days must be from 1/],
    [
      ['--app', 'shop', '--start', '2026-13-01', '--dry-run'],
      /--start must be a date/,
    ],
    [
      ['--app', 'shop', '--platforms', 'Web,Windows', '--dry-run'],
      /unknown platform 'Windows'/,
    ],
    [['--app', 'shop', '--bogus', '--dry-run'], /unknown flag --bogus/],
    [['--app', 'shop', '--dry-run=yes'], /--dry-run takes no value/],
    [['--app', 'shop', '--users'], /--users needs a value/],
    [['--app', 'shop', 'extra', '--dry-run'], /unexpected argument 'extra'/],
    [['--app', 'shop'], /--endpoint is required unless --dry-run/],
    [['--app', 'sh op', '--dry-run'], /--app must be/],
    [['--app', 'shop', '--upload-time', 'later', '--dry-run'], /--upload-time/],
    [
      ['--app', 'shop', '--endpoint', 'http://203.0.113.5:7007/collect'],
      /only loopback endpoints/,
    ],
    [['--app', 'shop', '--endpoint', 'ftp://localhost/x'], /http:\/\//],
    [
      ['--app', 'shop', '--concurrency', '0', '--dry-run'],
      /--concurrency must be from 1/,
    ],
    [['--app', 'shop', '--users', 'x'], /--users must be an integer/],
    [
      ['--app', 'shop', '--events-per-request', '0', '--dry-run'],
      /--events-per-request must be from 1/,
    ],
  ])('exits 2 with a clear message for %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: clickstream-loadgen/);
  });

  it('prints help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--endpoint <url>/);
  });

  it('sends to a local collector and summarises the outcome', async () => {
    let count = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        count++;
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const { code, stdout, stderr } = await run([
        ...BASE,
        '--endpoint',
        `http://127.0.0.1:${port}/api/clickstream/collect/p1`,
        '--concurrency',
        '3',
        '--upload-time',
        'now',
      ]);
      expect(code).toBe(0);
      const truth = JSON.parse(stdout);
      expect(count).toBe(truth.requests);
      expect(stderr).toMatch(
        new RegExp(
          `accepted ${truth.requests}/${truth.requests} requests \\(${truth.events} events\\), 0 failed`,
        ),
      );
      expect(stderr).toMatch(/p50 [\d.]+ ms p95 [\d.]+ ms p99 [\d.]+ ms/);
    } finally {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });

  it('exits 1 when the collector does not accept everything', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(403, { 'content-length': '0' });
        res.end();
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const { code, stderr } = await run([
        '--app',
        'shop',
        '--users',
        '2',
        '--days',
        '1',
        '--endpoint',
        `http://localhost:${port}/collect`,
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/first error: HTTP 403/);
    } finally {
      server.closeAllConnections();
      await new Promise(r => server.close(r));
    }
  });
});
