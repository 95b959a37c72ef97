/*
 * How long a durable append takes on this disk: 400 appends of 20 KB (a group commit of two
 * realistic requests), each followed by fdatasync, to a growing file and to a preallocated one.
 * The baseline the collector's group commit cannot beat.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/fsync.ts [--dir .]
 */
import { execFileSync } from 'node:child_process';
import { open, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const dir = resolve(args[args.indexOf('--dir') + 1] ?? '.');

async function syncs(preallocated: boolean) {
  const path = join(dir, `.fsync-bench-${process.pid}`);
  const file = await open(path, 'w+');
  if (preallocated) execFileSync('fallocate', ['-l', '64M', path]);
  const body = Buffer.alloc(20_000, 1);
  const ms: number[] = [];
  try {
    for (let i = 0; i < 400; i++) {
      const started = process.hrtime.bigint();
      await file.write(body, 0, body.length, i * body.length);
      await file.datasync();
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  } finally {
    await file.close();
    await rm(path, { force: true });
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[200], p99: ms[396] };
}

async function main() {
  for (const preallocated of [false, true]) {
    const { p50, p99 } = await syncs(preallocated);
    console.log(
      `${
        preallocated ? 'preallocated' : 'appending   '
      }  write + fdatasync of 20 KB: p50 ${p50.toFixed(
        2,
      )} ms, p99 ${p99.toFixed(2)} ms`,
    );
  }
}

main();
