// Bundles the standalone collector into one file for its container image (see Dockerfile).
const { build } = require('esbuild');
const { resolve } = require('node:path');

async function buildCollector(
  outfile = resolve(__dirname, '../dist-collector/collector.js'),
) {
  await build({
    entryPoints: [resolve(__dirname, '../src/bin/collector.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: false,
    sourcemap: true,
    legalComments: 'none',
  });
  return outfile;
}

module.exports = { buildCollector };

if (require.main === module) {
  buildCollector().then(file => console.log(`wrote ${file}`));
}
