import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A Lambda layer holding one JSON file, which a function reads at `/opt/<fileName>`: for
 * configuration that can outgrow the 4 KB of a function's environment (a project's apps and
 * traffic source rules). The file is staged once per content, in a folder named by its hash.
 */
export function jsonConfigLayer(
  scope: Construct,
  id: string,
  fileName: string,
  value: unknown,
): lambda.LayerVersion {
  const text = JSON.stringify(value);
  const dir = join(
    tmpdir(),
    `clickstream-config-${createHash('sha256')
      .update(`${fileName}\n${text}`)
      .digest('hex')
      .slice(0, 16)}`,
  );
  if (!existsSync(join(dir, fileName))) {
    const partial = mkdtempSync(`${dir}-`);
    writeFileSync(join(partial, fileName), text);
    // Complete or absent: a synthesis running beside this one never sees half a file.
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  return new lambda.LayerVersion(scope, id, {
    code: lambda.Code.fromAsset(dir),
    compatibleArchitectures: [lambda.Architecture.ARM_64],
    description: `${fileName} of the function that uses it`,
  });
}
