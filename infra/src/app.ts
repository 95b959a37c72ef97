import { App, Tags } from 'aws-cdk-lib';
import { projectIdSchema } from '@clickstream/backstage-plugin-clickstream-common';
import { DataLakeStack } from './stacks/DataLakeStack';

/** @public */
export interface ClickstreamAppOptions {
  projectId: string;
  /** Where the stacks go; left unset, they synthesize environment-agnostic. */
  env?: { account?: string; region?: string };
  /** Days the data lake keeps enriched events before they expire. */
  dataRetentionDays?: number;
  /** Synthesis output folder (defaults to CDK's own choice). */
  outdir?: string;
}

/**
 * Builds the CDK app for one project: one stack per pipeline module, each named after the
 * project so several projects live side by side in one account.
 * @public
 */
export function buildClickstreamApp(options: ClickstreamAppOptions): App {
  const projectId = projectIdSchema.parse(options.projectId);
  const app = new App({ outdir: options.outdir });
  Tags.of(app).add('clickstream:project-id', projectId);

  new DataLakeStack(app, stackName(projectId, 'data-lake'), {
    env: options.env,
    projectId,
    dataRetentionDays: options.dataRetentionDays,
    description: `Clickstream ${projectId}: data lake for the processed events`,
  });

  return app;
}

/** CloudFormation stack names allow letters, digits and hyphens only. */
export function stackName(projectId: string, module: string): string {
  return `clickstream-${projectId.replace(/_/g, '-')}-${module}`;
}
