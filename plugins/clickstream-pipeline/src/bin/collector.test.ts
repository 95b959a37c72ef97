import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SegmentLog } from '../buffer/SegmentLog';

jest.setTimeout(60_000);

const ENTRY = resolve(__dirname, 'collector.ts');

/** Starts the standalone collector as its own process; resolves with its port. */
function startCollector(
  bufferDir: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ENTRY,
    ],
    {
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        CLICKSTREAM_BUFFER_DIR: bufferDir,
        CLICKSTREAM_APPS: JSON.stringify([{ appId: 'shop', corsOrigins: [] }]),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolvePort, reject) => {
    let output = '';
    child.stdout!.on('data', chunk => {
      output += chunk;
      const match = /"port":(\d+)/.exec(output);
      if (match) resolvePort({ child, port: Number(match[1]) });
    });
    child.stderr!.on('data', chunk => (output += chunk));
    child.on('exit', code =>
      reject(new Error(`collector exited with ${code}: ${output}`)),
    );
  });
}

function post(
  port: number,
  agent: Agent,
  body: string,
  path = '/collect?appId=shop&platform=Web',
): Promise<number> {
  return new Promise(resolveStatus => {
    const req = request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path,
        agent,
        headers: { 'content-type': 'application/json' },
      },
      res => {
        res.resume();
        res.on('end', () => resolveStatus(res.statusCode!));
      },
    );
    req.on('error', () => resolveStatus(0));
    req.end(body);
  });
}

describe('the standalone collector', () => {
  let dir: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'collector-crash-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves collect, ping and health on its own port', async () => {
    const { child, port } = await startCollector(dir);
    children.push(child);
    const agent = new Agent({ keepAlive: true });
    expect(await post(port, agent, '[{"event_id":"a"}]')).toBe(200);
    expect(
      await post(port, agent, '[{"event_id":"a"}]', '/collect?appId=other'),
    ).toBe(403);
    for (const path of ['/health', '/ping', '/collect/ping']) {
      const status = await new Promise<number>(r =>
        request({ port, host: '127.0.0.1', path }, res => {
          res.resume();
          r(res.statusCode!);
        }).end(),
      );
      expect(status).toBe(200);
    }
    agent.destroy();
  });

  it('loses no acknowledged event when killed with SIGKILL under load', async () => {
    const { child, port } = await startCollector(dir);
    children.push(child);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const acknowledged: string[] = [];
    let sent = 0;
    let stopped = false;

    const worker = async (w: number) => {
      for (let n = 0; !stopped; n++) {
        const ids = Array.from({ length: 5 }, (_, i) => `w${w}-r${n}-e${i}`);
        const body = JSON.stringify(
          ids.map(id => ({ event_id: id, event_type: 'load' })),
        );
        sent++;
        const status = await post(port, agent, body);
        if (status === 200) acknowledged.push(...ids);
        else if (status === 0) return; // the process is gone
      }
    };
    const workers = Array.from({ length: 16 }, (_, w) => worker(w));
    // Kill in the middle of sustained load, once a good number of requests went through.
    while (acknowledged.length < 5_000)
      await new Promise(r => setTimeout(r, 20));
    child.kill('SIGKILL');
    await Promise.all(workers);
    stopped = true;
    agent.destroy();

    // A restarted collector repairs the buffer's tail and keeps accepting.
    const restarted = await startCollector(dir);
    children.push(restarted.child);
    const again = new Agent({ keepAlive: true });
    expect(
      await post(restarted.port, again, '[{"event_id":"after-restart"}]'),
    ).toBe(200);
    again.destroy();
    restarted.child.kill('SIGTERM');
    await new Promise(r => restarted.child.once('exit', r));

    const log = await SegmentLog.open({ directory: dir });
    const stored = new Set<string>();
    for (let offset = 0; ; ) {
      const records = await log.read(offset, { maxRecords: 10_000 });
      if (records.length === 0) break;
      for (const record of records) {
        for (const event of JSON.parse(record.body.toString()))
          stored.add(event.event_id);
      }
      offset = records[records.length - 1].nextOffset;
    }
    await log.close();

    const lost = acknowledged.filter(id => !stored.has(id));
    expect(lost).toEqual([]);
    expect(stored.has('after-restart')).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(5_000);
    expect(sent * 5).toBeGreaterThan(acknowledged.length); // some were in flight at the kill
  });
});

describe('the collector bundle of the container image', () => {
  it('builds into one file that starts and passes its health check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collector-bundle-'));
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { buildCollector } = require('../../scripts/build-collector.js');
      const bundle: string = await buildCollector(join(dir, 'collector.js'));
      const child = spawn(process.execPath, [bundle], {
        env: {
          PORT: '0',
          HOST: '127.0.0.1',
          CLICKSTREAM_BUFFER_DIR: join(dir, 'buffer'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const port = await new Promise<number>((resolvePort, reject) => {
          let output = '';
          child.stdout!.on('data', chunk => {
            output += chunk;
            const match = /"port":(\d+)/.exec(output);
            if (match) resolvePort(Number(match[1]));
          });
          child.on('exit', code =>
            reject(new Error(`bundle exited with ${code}`)),
          );
        });
        const status = await new Promise<number>(r =>
          request({ port, host: '127.0.0.1', path: '/health' }, res => {
            res.resume();
            r(res.statusCode!);
          }).end(),
        );
        expect(status).toBe(200);
      } finally {
        child.kill('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
