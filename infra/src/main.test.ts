import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main';

describe('main', () => {
  it('synthesizes the stacks of the project named in the environment', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'clickstream-cdk-'));
    try {
      const assembly = main({
        CLICKSTREAM_PROJECT_ID: 'demo_shop',
        CDK_DEFAULT_REGION: 'eu-west-1',
        CDK_OUTDIR: outdir,
      });
      expect(assembly.directory).toBe(outdir);
      expect(
        assembly.stacks.map(s => [s.stackName, s.environment.region]),
      ).toEqual([['clickstream-demo-shop-data-lake', 'eu-west-1']]);
      expect(readdirSync(outdir)).toContain(
        'clickstream-demo-shop-data-lake.template.json',
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('says which variable is missing', () => {
    expect(() => main({})).toThrow(/Set CLICKSTREAM_PROJECT_ID/);
  });
});
