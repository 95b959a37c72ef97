import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLLECTOR_IMAGE_DIRECTORY } from './app';
import { main } from './main';

// The bundler of the processor Lambda, as `build:processor-lambda` runs it.
const { buildProcessorLambda } = require(join(
  COLLECTOR_IMAGE_DIRECTORY,
  'scripts/build-processor-lambda.js',
));

describe('main', () => {
  it('synthesizes the stacks of the project named in the environment', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'clickstream-cdk-'));
    try {
      // The processor's real bundle, built as for a deployment.
      const bundle = join(outdir, 'processor-bundle');
      await buildProcessorLambda(bundle);
      // The processor and the scheduled load, each a handler of the one bundle.
      expect(readdirSync(bundle)).toEqual(
        expect.arrayContaining(['index.js', 'loader.js']),
      );
      const assembly = main({
        CLICKSTREAM_PROJECT_ID: 'demo_shop',
        CLICKSTREAM_PROCESSOR_BUNDLE: bundle,
        CLICKSTREAM_PIPELINE_CONFIG: JSON.stringify({
          ingestion: { sink: { type: 's3' } },
        }),
        CLICKSTREAM_APPS: JSON.stringify([{ appId: 'web' }]),
        CDK_DEFAULT_ACCOUNT: '123456789012',
        CDK_DEFAULT_REGION: 'eu-west-1',
        CDK_OUTDIR: outdir,
      });
      expect(assembly.directory).toBe(outdir);
      expect(
        assembly.stacks
          .map(s => [s.stackName, s.environment.region])
          .sort((a, b) => a[0].localeCompare(b[0])),
      ).toEqual([
        ['clickstream-demo-shop-buffer', 'eu-west-1'],
        ['clickstream-demo-shop-data-lake', 'eu-west-1'],
        ['clickstream-demo-shop-ingestion', 'eu-west-1'],
        ['clickstream-demo-shop-metrics', 'eu-west-1'],
        ['clickstream-demo-shop-modeling', 'eu-west-1'],
        ['clickstream-demo-shop-processing', 'eu-west-1'],
      ]);
      expect(readdirSync(outdir)).toContain(
        'clickstream-demo-shop-ingestion.template.json',
      );
      // The collector image is an asset built from the Dockerfile, with nothing else staged.
      const images = Object.values(
        JSON.parse(
          readFileSync(
            join(outdir, 'clickstream-demo-shop-ingestion.assets.json'),
            'utf8',
          ),
        ).dockerImages,
      ) as Array<{ source: { directory: string } }>;
      expect(images).toHaveLength(1);
      const staged = readdirSync(join(outdir, images[0].source.directory));
      expect(staged).toContain('Dockerfile');
      expect(staged).not.toContain('src');
      expect(staged).not.toContain('node_modules');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('says which variable is missing or malformed', () => {
    expect(() => main({})).toThrow(/Set CLICKSTREAM_PROJECT_ID/);
    expect(() =>
      main({ CLICKSTREAM_PROJECT_ID: 'shop', CLICKSTREAM_APPS: '[{' }),
    ).toThrow(/^CLICKSTREAM_APPS is not valid JSON/);
  });
});
