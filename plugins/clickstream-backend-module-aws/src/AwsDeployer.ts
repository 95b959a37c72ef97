import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KafkaClient } from '@aws-sdk/client-kafka';
import { QuickSightClient } from '@aws-sdk/client-quicksight';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  BaseCredentials,
  IIoHost,
  StackSelectionStrategy,
  Toolkit,
  ToolkitOptions,
} from '@aws-cdk/toolkit-lib';
import { LoggerService } from '@backstage/backend-plugin-api';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  AccountResource,
  AccountResourceKind,
  HealthCheck,
  Project,
} from '@clickstream/backstage-plugin-clickstream-common';
import { InputError } from '@backstage/errors';
import {
  DeploymentRequest,
  DeploymentState,
  PipelineDeployer,
} from '@clickstream/backstage-plugin-clickstream-node';
import {
  appRegistryParameterName,
  formatRegistryApps,
  RedshiftDataRunner,
} from '@clickstream/backstage-plugin-clickstream-pipeline';
import {
  buildClickstreamApp,
  ClickstreamAppOptions,
  COLLECTOR_IMAGE_DIRECTORY,
  registryApps,
  warehouseTarget,
} from '@clickstream/infra';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  deleteProjectStacks,
  readDeploymentState,
  readStackOutput,
} from './cloudFormationState';
import { listAccountResources } from './accountResources';
import { PreflightRequest, preflightProblems } from './preflight';

type AwsTarget = Extract<Project['target'], { type: 'aws' }>;

/** The parts of the CDK toolkit the deployer drives. */
export type DeployToolkit = Pick<Toolkit, 'fromAssemblyBuilder' | 'deploy'>;

export interface AwsDeployerOptions {
  credentials: AwsCredentialsManager;
  logger: LoggerService;
  /** Builds the toolkit; tests pass a fake. */
  toolkit?: (options: ToolkitOptions) => DeployToolkit;
  /** Builds the CloudFormation client; tests pass a mocked one. */
  cloudFormation?: (
    region: string,
    credentials: ToolkitOptionsCredentials,
  ) => CloudFormationClient;
  /**
   * Builds the collector's and the processor's bundles before synthesis (default: with the
   * collector package's scripts, into its dist-collector/ and dist-lambda/).
   */
  buildBundles?: () => Promise<void>;
  /** How often the stacks' states are read and reported while the toolkit runs (15 s). */
  progressIntervalMs?: number;
  /** How often a deletion checks whether its stacks are gone (10 s). */
  deletePollMs?: number;
  /** Where the collector's image and the Lambda functions' code come from (default: the bundles). */
  artifacts?: Pick<
    ClickstreamAppOptions,
    | 'collectorImage'
    | 'collectorImageUri'
    | 'collectorImageBuild'
    | 'lambdaCode'
  >;
  /** The version the stacks are tagged with (default: this package's version). */
  templateVersion?: string;
  /**
   * The checks run before each deployment, answering the problems found (default: the
   * account's bootstrap, zones, MSK cluster, QuickSight edition, existing warehouse and Docker, through
   * the AWS SDK under the account's credentials).
   */
  preflight?: (
    request: PreflightRequest,
    credentials: ToolkitOptionsCredentials,
  ) => Promise<string[]>;
}

/** The pre-flight checks against the real account. */
function accountPreflight(
  request: PreflightRequest,
  credentials: ToolkitOptionsCredentials,
): Promise<string[]> {
  const config = { region: request.region, credentials };
  return preflightProblems(request, {
    ec2: new EC2Client(config),
    kafka: new KafkaClient(config),
    ssm: new SSMClient(config),
    quickSight: new QuickSightClient(config),
    redshiftData: new RedshiftDataClient(config),
  });
}

type ToolkitOptionsCredentials = Parameters<
  typeof BaseCredentials.custom
>[0]['provider'];

/** Toolkit messages, to the logger the scaffolder's task log shows. */
function loggerIoHost(logger: LoggerService): IIoHost {
  return {
    async notify(msg) {
      const text = msg.message.trim();
      if (!text) return;
      if (msg.level === 'error') logger.error(text);
      else if (msg.level === 'warn') logger.warn(text);
      else if (msg.level === 'info' || msg.level === 'result')
        logger.info(text);
      else logger.debug(text);
    },
    // Non-interactive: take each question's default (deploys proceed, no approval prompt).
    async requestResponse(msg) {
      return msg.defaultResponse;
    },
  };
}

/**
 * Builds the collector's and the Lambda functions' bundles from the sources, in this
 * repository; an installed package ships them built, with no sources to build from.
 */
async function buildDefaultBundles() {
  if (!existsSync(join(COLLECTOR_IMAGE_DIRECTORY, 'src'))) return;
  const scripts = join(COLLECTOR_IMAGE_DIRECTORY, 'scripts');
  await require(join(scripts, 'build-collector.js')).buildCollector();
  await require(join(
    scripts,
    'build-processor-lambda.js',
  )).buildProcessorLambda();
}

/**
 * Deploys `aws` pipelines: synthesizes the project's CDK app from its pipeline configuration and
 * apps and deploys every stack with the CDK toolkit, deletes them by name through
 * CloudFormation, all under the account's credentials from Backstage's AWS integration
 * configuration, and reads the state from CloudFormation.
 */
export class AwsDeployer implements PipelineDeployer {
  readonly target = 'aws' as const;
  /** Tagged on every stack it deploys: stacks of an older version offer an upgrade. */
  readonly templateVersion: string;
  /** The warehouse's secret ARN by project, once read: it does not change while the stack lives. */
  readonly #secretArns = new Map<string, string>();

  constructor(private readonly options: AwsDeployerOptions) {
    this.templateVersion =
      options.templateVersion ?? require('../package.json').version;
  }

  async deploy(request: DeploymentRequest): Promise<DeploymentState> {
    return this.#apply(request, 'deploy');
  }

  async update(request: DeploymentRequest): Promise<DeploymentState> {
    return this.#apply(request, 'deploy');
  }

  async delete(request: DeploymentRequest): Promise<DeploymentState> {
    return this.#apply(request, 'destroy');
  }

  /**
   * Rewrites the project's live app registry (an SSM parameter its stacks create, which the
   * collector, processor and loader read at run time): a new, changed or deleted app takes
   * effect within a minute, without a redeployment.
   */
  async appsChanged(request: DeploymentRequest): Promise<void> {
    const target = this.#target(request);
    const ssm = new SSMClient({
      region: target.region,
      credentials: await this.#provider(target),
    });
    await ssm.send(
      new PutParameterCommand({
        Name: appRegistryParameterName(request.project.id),
        Value: formatRegistryApps(
          registryApps(request.apps, request.config.ingestion.corsOrigins),
        ),
        Type: 'String',
        Overwrite: true,
        Tier: 'Intelligent-Tiering',
      }),
    );
  }

  /**
   * The pipeline's CloudWatch alarms (the metrics stack names them `Clickstream|<project> ...`),
   * with their state and a link to each in the console.
   */
  async health(request: DeploymentRequest): Promise<HealthCheck[]> {
    const target = this.#target(request);
    const cloudWatch = new CloudWatchClient({
      region: target.region,
      credentials: await this.#provider(target),
    });
    // The space ends the project id: project `shop` is not `shop2`.
    const prefix = `Clickstream|${request.project.id} `;
    const checks: HealthCheck[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cloudWatch.send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: prefix,
          AlarmTypes: ['MetricAlarm'],
          NextToken,
        }),
      );
      for (const alarm of page.MetricAlarms ?? []) {
        const name = alarm.AlarmName ?? '';
        checks.push({
          name: name.slice(prefix.length),
          state:
            (alarm.StateValue as HealthCheck['state']) ?? 'INSUFFICIENT_DATA',
          reason: alarm.StateReason ?? null,
          url: `https://${
            target.region
          }.console.aws.amazon.com/cloudwatch/home?region=${
            target.region
          }#alarmsV2:alarm/${encodeURIComponent(name)}`,
          since: alarm.StateUpdatedTimestamp?.toISOString() ?? null,
        });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return checks;
  }

  /** What the guided form's pickers offer, read from the project's account and region. */
  async resources(
    request: DeploymentRequest,
    kind: AccountResourceKind,
  ): Promise<AccountResource[]> {
    const target = this.#target(request);
    const config = {
      region: target.region,
      credentials: await this.#provider(target),
    };
    // Getters: a listing builds only the one client it reads with.
    return listAccountResources(
      kind,
      {
        get ec2() {
          return new EC2Client(config);
        },
        get kafka() {
          return new KafkaClient(config);
        },
        get redshift() {
          return new RedshiftClient(config);
        },
        get redshiftServerless() {
          return new RedshiftServerlessClient(config);
        },
        get quickSight() {
          return new QuickSightClient(config);
        },
      },
      target.accountId,
    );
  }

  async status(
    request: DeploymentRequest,
  ): Promise<DeploymentState | undefined> {
    const target = this.#target(request);
    const cloudFormation = await this.#cloudFormation(target);
    return readDeploymentState(
      cloudFormation,
      request.project.id,
      target.region,
    );
  }

  /**
   * The project's Redshift warehouse, queried through the Data API under the account's
   * credentials: as the new namespace's admin, whose secret the modeling stack names in an
   * output, or (an existing warehouse) as the account's IAM identity.
   */
  async warehouse(request: DeploymentRequest): Promise<RedshiftDataRunner> {
    const target = this.#target(request);
    const { warehouse } = request.config.modeling;
    if (warehouse.type === 'duckdb') {
      throw new InputError(
        `project ${request.project.id} has no Redshift warehouse`,
      );
    }
    let redshiftTarget = warehouseTarget(request.project.id, warehouse);
    if (warehouse.type === 'redshift-serverless') {
      const secretArn = await this.#warehouseSecretArn(request, target);
      if (secretArn) redshiftTarget = { ...redshiftTarget, secretArn };
    }
    const client = new RedshiftDataClient({
      region: target.region,
      credentials: await this.#provider(target),
    });
    return new RedshiftDataRunner(client, redshiftTarget);
  }

  async #warehouseSecretArn(
    request: DeploymentRequest,
    target: AwsTarget,
  ): Promise<string | undefined> {
    const known = this.#secretArns.get(request.project.id);
    if (known) return known;
    const arn = await readStackOutput(
      await this.#cloudFormation(target),
      request.project.id,
      'modeling',
      'WarehouseSecretArn',
    );
    if (arn) this.#secretArns.set(request.project.id, arn);
    return arn;
  }

  async outputs(request: DeploymentRequest) {
    return (await this.status(request))?.outputs ?? { dashboards: [] };
  }

  /** What CloudFormation still holds after a deletion: nothing, or the stacks named. */
  async #afterDestroy(request: DeploymentRequest): Promise<DeploymentState> {
    const left = (await this.status(request))?.stacks ?? [];
    const remaining = left.filter(s => s.status !== 'DELETE_COMPLETE');
    if (remaining.length === 0) {
      return {
        execution: 'SUCCEEDED',
        stacks: left,
        outputs: { dashboards: [] },
      };
    }
    return {
      execution: 'FAILED',
      stacks: left,
      outputs: { dashboards: [] },
      error: `these stacks are still in CloudFormation: ${remaining
        .map(s => `${s.name} (${s.status})`)
        .join(
          ', ',
        )}; delete them in the CloudFormation console, then delete the pipeline again`,
    };
  }

  /**
   * Runs an operation while reporting the stacks' states as CloudFormation has them, so
   * the pipeline status (and the scaffolder's wait step) shows each stack as it goes.
   */
  async #reportingProgress(
    request: DeploymentRequest,
    operation: () => Promise<unknown>,
  ): Promise<void> {
    let last = '';
    const report = async () => {
      const state = await this.status(request).catch(error => {
        request.logger.warn(`Could not read the stacks' progress: ${error}`);
        return undefined;
      });
      const stacks = state?.stacks ?? [];
      const seen = JSON.stringify(stacks);
      if (seen === last) return;
      last = seen;
      await request.progress({ execution: 'RUNNING', stacks });
    };
    const timer = setInterval(
      () => void report(),
      this.options.progressIntervalMs ?? 15_000,
    );
    try {
      await operation();
    } finally {
      clearInterval(timer);
    }
  }

  #target(request: DeploymentRequest): AwsTarget {
    const { target } = request.project;
    if (target.type !== 'aws') {
      throw new InputError(
        `project ${request.project.id} is not an aws project`,
      );
    }
    return target;
  }

  async #provider(target: AwsTarget) {
    const { sdkCredentialProvider } =
      await this.options.credentials.getCredentialProvider({
        accountId: target.accountId,
      });
    return sdkCredentialProvider;
  }

  async #cloudFormation(target: AwsTarget) {
    const provider = await this.#provider(target);
    return (
      this.options.cloudFormation?.(target.region, provider) ??
      new CloudFormationClient({ region: target.region, credentials: provider })
    );
  }

  async #apply(
    request: DeploymentRequest,
    action: 'deploy' | 'destroy',
  ): Promise<DeploymentState> {
    const target = this.#target(request);
    const { project, apps, config } = request;
    try {
      const provider = await this.#provider(target);
      const toolkitOptions: ToolkitOptions = {
        ioHost: loggerIoHost(request.logger),
        sdkConfig: {
          baseCredentials: BaseCredentials.custom({
            provider,
            region: target.region,
          }),
        },
      };
      const toolkit =
        this.options.toolkit?.(toolkitOptions) ?? new Toolkit(toolkitOptions);
      if (action === 'deploy') {
        // Fail in seconds on what would fail the deployment half an hour in.
        const problems = await (this.options.preflight ?? accountPreflight)(
          {
            projectId: project.id,
            accountId: target.accountId,
            region: target.region,
            config,
            buildsImageWithDocker:
              !(
                this.options.artifacts?.collectorImage ??
                this.options.artifacts?.collectorImageUri
              ) && this.options.artifacts?.collectorImageBuild !== 'codebuild',
          },
          provider,
        );
        if (problems.length > 0) {
          throw new InputError(
            `the account is not ready for this pipeline: ${problems.join(
              '; ',
            )}`,
          );
        }
        await (this.options.buildBundles ?? buildDefaultBundles)();
      }
      if (action === 'destroy') {
        // By stack name, without synthesis: see deleteProjectStacks.
        const cloudFormation = await this.#cloudFormation(target);
        await this.#reportingProgress(request, () =>
          deleteProjectStacks(cloudFormation, project.id, {
            pollMs: this.options.deletePollMs,
          }),
        );
        return await this.#afterDestroy(request);
      }
      const assembly = await toolkit.fromAssemblyBuilder(
        async ({ outdir, context }) =>
          buildClickstreamApp({
            projectId: project.id,
            config,
            apps: apps.map(app => ({
              appId: app.appId,
              corsOrigins: app.corsOrigins,
              enabled: app.enabled,
              timezone: app.timezone,
            })),
            notificationEmails: project.notificationEmails,
            env: { account: target.accountId, region: target.region },
            outdir,
            context,
            templateVersion: this.templateVersion,
            ...this.options.artifacts,
          }).synth(),
      );
      const stacks = { strategy: StackSelectionStrategy.ALL_STACKS };
      await this.#reportingProgress(request, () =>
        toolkit.deploy(assembly, { stacks, concurrency: 2 }),
      );
      // A module the configuration dropped (reporting turned off) goes too, rather than
      // lingering and costing: the deployment only ever adds or changes stacks.
      if (config.reporting.type === 'none') {
        const cloudFormation = await this.#cloudFormation(target);
        await this.#reportingProgress(request, () =>
          deleteProjectStacks(cloudFormation, project.id, {
            modules: ['reporting'],
            pollMs: this.options.deletePollMs,
          }),
        );
      }
    } catch (e) {
      request.logger.error(`${action} of ${project.id} failed: ${e}`);
      const state = await this.status(request).catch(() => undefined);
      return {
        execution: 'FAILED',
        stacks: state?.stacks ?? [],
        outputs: state?.outputs ?? { dashboards: [] },
        error: String((e as Error).message ?? e),
      };
    }
    return (
      (await this.status(request)) ?? {
        execution: 'FAILED',
        stacks: [],
        outputs: { dashboards: [] },
        error: 'the deployment finished but CloudFormation shows no stack',
      }
    );
  }
}
