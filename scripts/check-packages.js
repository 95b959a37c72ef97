// Checks the tarballs scripts/pack.sh wrote: what an adopter's `yarn add` would receive.
const { execFileSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const [out, ...dirs] = process.argv.slice(2);
const problems = [];
for (const dir of dirs) {
  const source = require(join(process.cwd(), dir, 'package.json'));
  // yarn pack's `%s-%v`: the name with its slash made a dash, then the version.
  const expected = `${source.name.replace('/', '-')}-${source.version}.tgz`;
  const tarball = readdirSync(out).find(f => f === expected);
  if (!tarball) {
    problems.push(`${source.name}: no tarball in ${out}`);
    continue;
  }
  const path = join(out, tarball);
  const files = execFileSync('tar', ['tzf', path], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map(f => f.replace(/^package\//, ''));
  const manifest = JSON.parse(
    execFileSync('tar', ['xzf', path, '-O', 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const say = what => problems.push(`${source.name}: ${what}`);
  if (manifest.private) say('is private');
  for (const field of ['main', 'types']) {
    if (!manifest[field] || !files.includes(manifest[field])) {
      say(`its ${field} (${manifest[field]}) is not in the tarball`);
    }
  }
  // Every file an entry point of `exports` names (the `/alpha` plugin, say) ships too.
  for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
    const targets =
      typeof target === 'string' ? [target] : Object.values(target);
    for (const file of targets.filter(t => t.startsWith('./'))) {
      if (!files.includes(file.slice(2))) {
        say(`exports["${entry}"] names ${file}, which is not in the tarball`);
      }
    }
  }
  for (const section of ['dependencies', 'peerDependencies']) {
    for (const [name, range] of Object.entries(manifest[section] ?? {})) {
      if (String(range).startsWith('workspace:')) {
        say(`${section}.${name} is ${range}`);
      }
    }
  }
  // Backstage's prepack turns config.d.ts into config.schema.json and points configSchema at it.
  if (source.configSchema && !files.includes(manifest.configSchema)) {
    say(`its config schema (${manifest.configSchema}) is not in the tarball`);
  }
  if (dir === 'plugins/clickstream-backend') {
    if (!files.some(f => f.startsWith('migrations/'))) say('has no migrations');
  }
  if (dir === 'plugins/clickstream-pipeline') {
    // What the aws deployer builds the collector image and the Lambda functions from.
    for (const needed of [
      'Dockerfile',
      'dist-collector/collector.js',
      'dist-lambda/index.js',
      'dist-lambda/loader.js',
      'dist-lambda/reportingUser.js',
    ]) {
      if (!files.includes(needed)) say(`has no ${needed}`);
    }
    // DB-IP's databases come with its dependency, not twice.
    if (files.some(f => f.startsWith('dist-lambda/geo/'))) say('ships geo/');
  }
  const sources = files.filter(
    f => f.startsWith('src/') || /\.test\.[jt]sx?$/.test(f),
  );
  if (sources.length > 0)
    say(`ships sources: ${sources.slice(0, 3).join(', ')}`);
  console.log(`${tarball}: ${files.length} files`);
}
if (problems.length > 0) {
  console.error(`\n${problems.join('\n')}`);
  process.exit(1);
}
