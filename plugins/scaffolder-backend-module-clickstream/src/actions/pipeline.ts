import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  isPipelineBusy,
  Pipeline,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ClickstreamService } from '@clickstream/backstage-plugin-clickstream-node';
import {
  deployPipelineExamples,
  upgradePipelineExamples,
  waitForPipelineExamples,
} from './examples';

/**
 * An action that starts a pipeline operation (deploy, upgrade) in the background, once per
 * task even when the task is retried: the checkpoint skips an operation already started.
 */
function startOperationAction(options: {
  id: string;
  description: string;
  examples: { description: string; example: string }[];
  /** The operation's name in the logs and the checkpoint's key. */
  operation: 'deploy' | 'upgrade';
  /** The status a dry run reports. */
  dryRunStatus: string;
  start: (
    projectId: string,
    credentials: BackstageCredentials,
  ) => Promise<Pipeline>;
}) {
  return createTemplateAction({
    id: options.id,
    description: options.description,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      input: { projectId: z => z.string({ description: 'The project' }) },
      output: { status: z => z.string() },
    },
    async handler(ctx) {
      const { projectId } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Would ${options.operation} the pipeline of ${projectId}`,
        );
        ctx.output('status', options.dryRunStatus);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const started = await ctx.checkpoint({
        key: `clickstream.pipeline.${options.operation}.${projectId}`,
        fn: async () => (await options.start(projectId, credentials)).status,
      });
      const what = options.operation === 'deploy' ? 'Deployment' : 'Upgrade';
      ctx.logger.info(`${what} of ${projectId} started: ${started}`);
      ctx.output('status', started);
    },
  });
}

/** Starts the deployment of a project's pipeline. */
export function deployPipelineAction(api: ClickstreamService) {
  return startOperationAction({
    id: 'clickstream:pipeline:deploy',
    description:
      "Deploys a Clickstream project's pipeline (local: in this backend; aws: CloudFormation stacks)",
    examples: deployPipelineExamples,
    operation: 'deploy',
    dryRunStatus: 'Creating',
    start: (projectId, credentials) =>
      api.deployPipeline(projectId, { credentials }),
  });
}

/**
 * Starts upgrading a project's pipeline to the version this portal deploys; follow it with
 * `clickstream:pipeline:wait`.
 */
export function upgradePipelineAction(api: ClickstreamService) {
  return startOperationAction({
    id: 'clickstream:pipeline:upgrade',
    description:
      "Upgrades a Clickstream project's pipeline (its AWS stacks) to the version this portal deploys",
    examples: upgradePipelineExamples,
    operation: 'upgrade',
    dryRunStatus: 'Updating',
    start: (projectId, credentials) =>
      api.upgradePipeline(projectId, { credentials }),
  });
}

/** Polls a pipeline until it is Active (success), Failed (the step fails with the reason) or a timeout. */
export function waitForPipelineAction(
  api: ClickstreamService,
  options: { minIntervalMs?: number } = {},
) {
  return createTemplateAction({
    id: 'clickstream:pipeline:wait',
    description:
      "Waits for a Clickstream project's pipeline to become Active, logging each change",
    examples: waitForPipelineExamples,
    supportsDryRun: true,
    schema: {
      input: {
        projectId: z => z.string({ description: 'The project' }),
        timeoutSeconds: z =>
          z
            .number({ description: 'Give up after this long (default 1800)' })
            .optional(),
        intervalSeconds: z =>
          z.number({ description: 'Between two polls (default 2)' }).optional(),
      },
      output: {
        status: z => z.string(),
        endpointUrl: z => z.string().optional(),
        dashboards: z =>
          z.array(z.object({ name: z.string(), url: z.string() })).optional(),
      },
    },
    async handler(ctx) {
      const { projectId } = ctx.input;
      if (ctx.isDryRun) {
        ctx.output('status', 'Active');
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const timeoutMs = (ctx.input.timeoutSeconds ?? 1800) * 1000;
      const intervalMs = Math.max(
        options.minIntervalMs ?? 1000,
        (ctx.input.intervalSeconds ?? 2) * 1000,
      );
      const deadline = Date.now() + timeoutMs;
      let last = '';
      for (;;) {
        const pipeline = await api.getPipelineStatus(projectId, {
          credentials,
        });
        const stacks = (pipeline.stacks ?? [])
          .map(s => `${s.name} ${s.status}`)
          .join(', ');
        const now = `${pipeline.status}${stacks ? ` (${stacks})` : ''}`;
        if (now !== last) ctx.logger.info(`Pipeline of ${projectId}: ${now}`);
        last = now;
        if (!pipeline.operation && !isPipelineBusy(pipeline.status)) {
          if (pipeline.status !== 'Active') {
            throw new ConflictError(
              `the pipeline of ${projectId} is ${pipeline.status}${
                pipeline.lastError ? `: ${pipeline.lastError}` : ''
              }`,
            );
          }
          ctx.output('status', pipeline.status);
          if (pipeline.outputs?.endpointUrl) {
            ctx.output('endpointUrl', pipeline.outputs.endpointUrl);
          }
          ctx.output('dashboards', pipeline.outputs?.dashboards ?? []);
          return;
        }
        if (Date.now() + intervalMs > deadline) {
          throw new Error(
            `gave up waiting after ${Math.round(
              timeoutMs / 1000,
            )} s: the pipeline of ${projectId} is still ${pipeline.status}`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, intervalMs));
        if (ctx.signal?.aborted) throw new Error('the task was cancelled');
      }
    },
  });
}
