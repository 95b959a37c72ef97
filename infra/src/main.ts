import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildClickstreamApp } from './app';

/**
 * The CDK app's entry point (`cdk.json`). Which project to build comes from the environment,
 * so `cdk synth` and the backend's deployer drive the same code:
 * CLICKSTREAM_PROJECT_ID (required), CLICKSTREAM_PIPELINE_CONFIG (the pipeline configuration as
 * JSON; default: an aws project's defaults), CLICKSTREAM_APPS (a JSON array of
 * `{ appId, corsOrigins?, enabled?, timezone? }`), CLICKSTREAM_NOTIFICATION_EMAILS (comma-separated,
 * told about alarms), CLICKSTREAM_PROCESSOR_BUNDLE (the Lambda
 * functions' bundle directory; default: the collector package's dist-lambda/), CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION and CDK_OUTDIR
 * (set by the CDK CLI).
 */
export function main(env: NodeJS.ProcessEnv = process.env) {
  const projectId = env.CLICKSTREAM_PROJECT_ID;
  if (!projectId) {
    throw new Error(
      'Set CLICKSTREAM_PROJECT_ID to the id of the project whose stacks to build',
    );
  }
  const json = (name: string) => {
    const text = env[name];
    if (!text) return undefined;
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`${name} is not valid JSON: ${(e as Error).message}`);
    }
  };
  const app = buildClickstreamApp({
    projectId,
    config: json('CLICKSTREAM_PIPELINE_CONFIG'),
    apps: json('CLICKSTREAM_APPS'),
    notificationEmails:
      env.CLICKSTREAM_NOTIFICATION_EMAILS?.split(',').filter(Boolean),
    lambdaCode: env.CLICKSTREAM_PROCESSOR_BUNDLE
      ? () => lambda.Code.fromAsset(env.CLICKSTREAM_PROCESSOR_BUNDLE!)
      : undefined,
    env: { account: env.CDK_DEFAULT_ACCOUNT, region: env.CDK_DEFAULT_REGION },
    // The CDK CLI says where to write the assembly through CDK_OUTDIR.
    outdir: env.CDK_OUTDIR,
  });
  return app.synth();
}

if (require.main === module) {
  main();
}
