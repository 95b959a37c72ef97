import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  MemoryContext,
  StackSelectionStrategy,
  Toolkit,
} from '@aws-cdk/toolkit-lib';
import { mockServices } from '@backstage/backend-test-utils';
import {
  App,
  defaultPipelineConfig,
  derivePipelineStatus,
  PipelineAction,
  Project,
} from '@clickstream/backstage-plugin-clickstream-common';
import { DeploymentRequest } from '@clickstream/backstage-plugin-clickstream-node';
import { buildClickstreamApp } from '@clickstream/infra';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsDeployer, AwsDeployerOptions, DeployToolkit } from './AwsDeployer';
import { STACK_MODULES } from './cloudFormationState';

const project: Project = {
  id: 'shop',
  name: 'Shop',
  description: '',
  owner: 'group:default/analytics-team',
  environment: 'Prod',
  target: { type: 'aws', accountId: '123456789012', region: 'eu-west-1' },
  notificationEmails: ['analytics@shop.example.com'],
  createdBy: 'user:default/ada',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  version: 1,
};

const app = {
  projectId: 'shop',
  appId: 'web',
  name: 'Web',
  platforms: ['Web'],
  timezone: 'Asia/Tokyo',
  corsOrigins: ['https://shop.example.com'],
  enabled: true,
} as App;

const request = (): DeploymentRequest => ({
  project,
  apps: [app],
  config: {
    ...defaultPipelineConfig('aws'),
    reporting: {
      type: 'quicksight',
      principalArn:
        'arn:aws:quicksight:us-east-1:123456789012:group/default/analysts',
    },
  },
  logger: mockServices.logger.mock(),
  progress: async () => {},
});

type StackStates = Record<
  string,
  {
    status: string;
    reason?: string;
    outputs?: Record<string, string>;
    /** The stack's template version tag. */
    version?: string;
  }
>;

/**
 * Stacks as DescribeStacks answers them: `name: status`, absent ones refused. A function gives
 * the stacks as they are at each call.
 */
function cloudFormationWith(
  states: StackStates | (() => StackStates),
  deleteStack?: (input: { StackName?: string }) => void,
) {
  const client = new CloudFormationClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  if (deleteStack) {
    mock.on(DeleteStackCommand).callsFake(input => {
      deleteStack(input);
      return {};
    });
  }
  mock.on(DescribeStacksCommand).callsFake(({ StackName }) => {
    const stacks = typeof states === 'function' ? states() : states;
    const module = Object.keys(stacks).find(
      m => StackName === `clickstream-shop-${m}`,
    );
    if (!module) {
      const error = new Error(`Stack with id ${StackName} does not exist`);
      error.name = 'ValidationError';
      throw error;
    }
    const s = stacks[module];
    return {
      Stacks: [
        {
          StackName,
          StackStatus: s.status,
          StackStatusReason: s.reason,
          CreationTime: new Date(),
          Tags: [
            { Key: 'clickstream:project-id', Value: 'shop' },
            ...(s.version
              ? [{ Key: 'clickstream:template-version', Value: s.version }]
              : []),
          ],
          Outputs: Object.entries(s.outputs ?? {}).map(([k, v]) => ({
            OutputKey: k,
            OutputValue: v,
          })),
        },
      ],
    };
  });
  return client;
}

function deployer(
  client: CloudFormationClient,
  toolkit?: DeployToolkit,
  progressIntervalMs?: number,
  preflight: AwsDeployerOptions['preflight'] = async () => [],
  deletePollMs?: number,
  artifacts: AwsDeployerOptions['artifacts'] = {
    collectorImage: ecs.ContainerImage.fromRegistry('collector:test'),
    lambdaCode: () =>
      lambda.Code.fromInline('exports.handler = async () => {}'),
  },
) {
  const getCredentialProvider = jest.fn(async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
    }),
  }));
  return {
    getCredentialProvider,
    deployer: new AwsDeployer({
      credentials: { getCredentialProvider },
      logger: mockServices.logger.mock(),
      cloudFormation: () => client,
      toolkit: toolkit && (() => toolkit),
      buildBundles: async () => {},
      progressIntervalMs,
      deletePollMs,
      preflight,
      artifacts,
    }),
  };
}

const ALL = STACK_MODULES;
const all = (status: string) =>
  Object.fromEntries(ALL.map(m => [m, { status }]));

/** The status the control plane derives from what the deployer read. */
async function statusAfter(
  stacks: Parameters<typeof cloudFormationWith>[0],
  lastAction: PipelineAction,
) {
  const state = await deployer(cloudFormationWith(stacks)).deployer.status(
    request(),
  );
  return state && derivePipelineStatus({ ...state, lastAction });
}

describe('AwsDeployer', () => {
  it('reads the stacks, endpoint and dashboards from CloudFormation', async () => {
    const { deployer: aws, getCredentialProvider } = deployer(
      cloudFormationWith({
        ...all('CREATE_COMPLETE'),
        ingestion: {
          status: 'CREATE_COMPLETE',
          outputs: { EndpointUrl: 'https://collect.shop.example.com/collect' },
        },
        metrics: {
          status: 'CREATE_COMPLETE',
          outputs: { DashboardName: 'Clickstream-shop' },
        },
        reporting: {
          status: 'CREATE_COMPLETE',
          outputs: {
            Dashboards: JSON.stringify([
              {
                appId: 'web',
                url: 'https://eu-west-1.quicksight.aws.amazon.com/sn/dashboards/clickstream-shop-web',
              },
            ]),
          },
        },
      }),
    );
    const state = await aws.status(request());
    expect(getCredentialProvider).toHaveBeenCalledWith({
      accountId: '123456789012',
    });
    expect(state).toEqual({
      execution: 'SUCCEEDED',
      stacks: ALL.map(m => ({
        name: `clickstream-shop-${m}`,
        status: 'CREATE_COMPLETE',
      })),
      outputs: {
        endpointUrl: 'https://collect.shop.example.com/collect',
        dashboards: [
          {
            name: 'QuickSight: web',
            url: 'https://eu-west-1.quicksight.aws.amazon.com/sn/dashboards/clickstream-shop-web',
          },
          {
            name: 'CloudWatch: Clickstream-shop',
            url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=Clickstream-shop',
          },
        ],
      },
    });
    expect(derivePipelineStatus({ ...state!, lastAction: 'Create' })).toBe(
      'Active',
    );
  });

  it("reads each stack's version from its tag: the pipeline runs the lowest, and an older one is Warning", async () => {
    const versions = Object.fromEntries(
      ALL.map(m => [
        m,
        {
          status: 'UPDATE_COMPLETE',
          version: m === 'buffer' ? '0.9.0' : '0.10.0',
        },
      ]),
    );
    const state = await deployer(cloudFormationWith(versions)).deployer.status(
      request(),
    );
    expect(state?.stacks[0]).toEqual({
      name: 'clickstream-shop-buffer',
      status: 'UPDATE_COMPLETE',
      templateVersion: '0.9.0',
    });
    // 0.9.0 is older than 0.10.0, though it sorts after it as text.
    expect(state?.templateVersion).toBe('0.9.0');
    const status = (templateVersion: string) =>
      derivePipelineStatus({
        ...state!,
        lastAction: 'Update',
        templateVersion,
      });
    expect(status('0.10.0')).toBe('Warning');
    const upgraded = await deployer(
      cloudFormationWith(
        Object.fromEntries(
          ALL.map(m => [m, { status: 'UPDATE_COMPLETE', version: '0.10.0' }]),
        ),
      ),
    ).deployer.status(request());
    expect(upgraded?.templateVersion).toBe('0.10.0');
    expect(
      derivePipelineStatus({
        ...upgraded!,
        lastAction: 'Upgrade',
        templateVersion: '0.10.0',
      }),
    ).toBe('Active');
  });

  it('turns stack states into the pipeline status by the reference rules', async () => {
    // Reporting off: no reporting stack, and nothing missing.
    const { reporting: _, ...withoutReporting } = all('CREATE_COMPLETE');
    expect(await statusAfter(withoutReporting, 'Create')).toBe('Active');
    expect(
      await statusAfter(
        {
          ...all('CREATE_COMPLETE'),
          processing: { status: 'CREATE_IN_PROGRESS' },
        },
        'Create',
      ),
    ).toBe('Creating');
    expect(
      await statusAfter(
        {
          ...all('CREATE_COMPLETE'),
          ingestion: {
            status: 'ROLLBACK_COMPLETE',
            reason: 'Certificate not found',
          },
        },
        'Create',
      ),
    ).toBe('Failed');
    // A failed update rolls back: the previous version keeps serving.
    expect(
      await statusAfter(
        {
          ...all('UPDATE_COMPLETE'),
          modeling: { status: 'UPDATE_ROLLBACK_COMPLETE' },
        },
        'Update',
      ),
    ).toBe('Warning');
    expect(
      await statusAfter(
        { ...all('DELETE_COMPLETE'), buffer: { status: 'DELETE_IN_PROGRESS' } },
        'Delete',
      ),
    ).toBe('Deleting');
    // Gone from CloudFormation: nothing deployed.
    expect(await statusAfter({}, 'Delete')).toBeUndefined();
  });

  it("deploys every stack of the project's app under the account's credentials", async () => {
    const deploy = jest.fn(async () => ({} as any));
    let stackNames: string[] = [];
    let tagsOf: Record<string, string>[] = [];
    const toolkit: DeployToolkit = {
      fromAssemblyBuilder: (async (builder: any) => {
        const assembly = await builder({ outdir: undefined });
        stackNames = assembly.stacks.map((s: any) => s.stackName).sort();
        tagsOf = assembly.stacks.map((s: any) => s.tags);
        return assembly;
      }) as any,
      deploy,
    };
    const { deployer: aws } = deployer(
      cloudFormationWith(all('CREATE_COMPLETE')),
      toolkit,
    );
    const state = await aws.deploy(request());
    expect(stackNames).toEqual(ALL.map(m => `clickstream-shop-${m}`).sort());
    // Every stack carries the version that deployed it: this package's.
    expect(aws.templateVersion).toBe(require('../package.json').version);
    expect(
      new Set(tagsOf.map(tags => tags['clickstream:template-version'])),
    ).toEqual(new Set([aws.templateVersion]));
    expect(deploy).toHaveBeenCalledWith(expect.anything(), {
      stacks: { strategy: StackSelectionStrategy.ALL_STACKS },
      concurrency: 2,
    });
    expect(state.execution).toBe('SUCCEEDED');
  });

  it('deletes the reporting stack after a deployment that turned reporting off, and only that', async () => {
    let stacks: StackStates = all('UPDATE_COMPLETE');
    const deleted: string[] = [];
    const client = cloudFormationWith(
      () => stacks,
      ({ StackName }) => {
        deleted.push(StackName!);
        const { reporting: _gone, ...rest } = stacks;
        stacks = rest;
      },
    );
    const toolkit: DeployToolkit = {
      fromAssemblyBuilder: (async (builder: any) =>
        builder({ outdir: undefined })) as any,
      deploy: jest.fn(async () => ({} as any)),
    };
    const { deployer: aws } = deployer(
      client,
      toolkit,
      undefined,
      undefined,
      1,
    );
    const withoutReporting = {
      ...request(),
      config: { ...request().config, reporting: { type: 'none' as const } },
    };
    const state = await aws.update(withoutReporting);
    expect(deleted).toEqual(['clickstream-shop-reporting']);
    expect(state.execution).toBe('SUCCEEDED');
    expect(state.stacks.map(s => s.name)).not.toContain('reporting');

    // With reporting on, nothing is deleted.
    stacks = all('UPDATE_COMPLETE');
    await aws.update(request());
    expect(deleted).toEqual(['clickstream-shop-reporting']);
  });

  it("rewrites the live app registry with the project's apps, under the account's credentials", async () => {
    const ssm = mockClient(SSMClient);
    ssm.on(PutParameterCommand).resolves({ Version: 2 });
    try {
      const { deployer: aws, getCredentialProvider } = deployer(
        cloudFormationWith(all('UPDATE_COMPLETE')),
      );
      const withOrigins = request();
      withOrigins.config = {
        ...withOrigins.config,
        ingestion: {
          ...withOrigins.config.ingestion,
          corsOrigins: ['https://www.shop.example.com'],
        },
      };
      withOrigins.apps = [
        app,
        { ...app, appId: 'ios', enabled: false, timezone: null },
      ];
      await aws.appsChanged(withOrigins);
      const [call] = ssm.commandCalls(PutParameterCommand);
      expect(call.args[0].input).toMatchObject({
        Name: '/clickstream/shop/apps',
        Type: 'String',
        Overwrite: true,
        Tier: 'Intelligent-Tiering',
      });
      // What the collector, processor and loader parse: the pipeline's origins included.
      expect(JSON.parse(call.args[0].input.Value!)).toEqual([
        {
          appId: 'web',
          enabled: true,
          corsOrigins: [
            'https://shop.example.com',
            'https://www.shop.example.com',
          ],
          timezone: 'Asia/Tokyo',
        },
        {
          appId: 'ios',
          enabled: false,
          corsOrigins: [
            'https://shop.example.com',
            'https://www.shop.example.com',
          ],
          timezone: null,
        },
      ]);
      expect(getCredentialProvider).toHaveBeenCalledWith({
        accountId: '123456789012',
      });
    } finally {
      ssm.restore();
    }
  });

  it("lists the pipeline's CloudWatch alarms, page by page, with their state and console links", async () => {
    const cloudWatch = mockClient(CloudWatchClient);
    const updated = new Date('2026-12-01T10:00:00Z');
    cloudWatch
      .on(DescribeAlarmsCommand, { NextToken: undefined })
      .resolves({
        MetricAlarms: [
          {
            AlarmName: 'Clickstream|shop Processing failed',
            StateValue: 'ALARM',
            StateReason: 'Threshold Crossed: 1 datapoint [3.0] was >= 1.0',
            StateUpdatedTimestamp: updated,
          },
        ],
        NextToken: 'page-2',
      })
      .on(DescribeAlarmsCommand, { NextToken: 'page-2' })
      .resolves({
        MetricAlarms: [
          {
            AlarmName: 'Clickstream|shop Collector CPU above 85%',
            StateValue: 'OK',
            StateUpdatedTimestamp: updated,
          },
        ],
      });
    try {
      const { deployer: aws } = deployer(
        cloudFormationWith(all('CREATE_COMPLETE')),
      );
      expect(await aws.health(request())).toEqual([
        {
          name: 'Processing failed',
          state: 'ALARM',
          reason: 'Threshold Crossed: 1 datapoint [3.0] was >= 1.0',
          url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/Clickstream%7Cshop%20Processing%20failed',
          since: '2026-12-01T10:00:00.000Z',
        },
        {
          name: 'Collector CPU above 85%',
          state: 'OK',
          reason: null,
          url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/Clickstream%7Cshop%20Collector%20CPU%20above%2085%25',
          since: '2026-12-01T10:00:00.000Z',
        },
      ]);
      // Only this project's alarms: the prefix ends with a space.
      expect(
        cloudWatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input,
      ).toMatchObject({ AlarmNamePrefix: 'Clickstream|shop ' });
    } finally {
      cloudWatch.restore();
    }
  });

  it("reports the stacks' progress while the toolkit deploys", async () => {
    // The stacks as CloudFormation has them; they advance while the deploy runs.
    let stacks: StackStates = { buffer: { status: 'CREATE_IN_PROGRESS' } };
    const client = cloudFormationWith(() => stacks);
    let finish!: () => void;
    const toolkit: DeployToolkit = {
      fromAssemblyBuilder: (async (builder: any) =>
        builder({ outdir: undefined })) as any,
      deploy: jest.fn(
        () => new Promise<any>(resolve => (finish = () => resolve({}))),
      ),
    };
    const progress = jest.fn(async (_state: unknown) => {});
    const { deployer: aws } = deployer(client, toolkit, 5);
    const done = aws.deploy({ ...request(), progress });
    const reported = async (times: number) => {
      while (progress.mock.calls.length < times) {
        await new Promise(r => setTimeout(r, 5));
      }
    };
    await reported(1);
    await new Promise(r => setTimeout(r, 30)); // unchanged reads in between
    stacks = {
      buffer: { status: 'CREATE_COMPLETE' },
      ingestion: { status: 'CREATE_IN_PROGRESS' },
    };
    await reported(2);
    finish();
    await done;
    // Each change once, in order; an unchanged read is not reported again.
    expect(progress.mock.calls.map(([p]) => p)).toEqual([
      {
        execution: 'RUNNING',
        stacks: [
          { name: 'clickstream-shop-buffer', status: 'CREATE_IN_PROGRESS' },
        ],
      },
      {
        execution: 'RUNNING',
        stacks: [
          { name: 'clickstream-shop-buffer', status: 'CREATE_COMPLETE' },
          { name: 'clickstream-shop-ingestion', status: 'CREATE_IN_PROGRESS' },
        ],
      },
    ]);
  });

  it("reads metrics from the project's Redshift through the Data API, under the account's credentials", async () => {
    const redshift = mockClient(RedshiftDataClient);
    try {
      redshift.on(ExecuteStatementCommand).resolves({ Id: 'q' });
      redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED' });
      redshift.on(GetStatementResultCommand).resolves({
        ColumnMetadata: [{ name: 'users' }],
        Records: [[{ longValue: 3 }]],
      });
      const secretArn =
        'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clickstream-shop-admin-AbCdEf';
      const { deployer: aws, getCredentialProvider } = deployer(
        cloudFormationWith({
          modeling: {
            status: 'CREATE_COMPLETE',
            outputs: { WarehouseSecretArn: secretArn },
          },
        }),
      );
      const runner = await aws.warehouse(request());
      expect(runner.dialect).toBe('redshift');
      expect(await runner.query('SELECT 3 AS users')).toEqual([{ users: 3 }]);
      expect(getCredentialProvider).toHaveBeenCalledWith({
        accountId: '123456789012',
      });
      expect(
        redshift.commandCalls(ExecuteStatementCommand)[0].args[0].input,
      ).toMatchObject({
        WorkgroupName: 'clickstream-shop',
        Database: 'clickstream',
        // As the namespace's admin, whose secret the modeling stack names.
        SecretArn: secretArn,
      });
      expect(
        await redshift
          .commandCalls(ExecuteStatementCommand)[0]
          .thisValue.config.region(),
      ).toBe('eu-west-1');

      const provisioned = await aws.warehouse({
        ...request(),
        config: {
          ...request().config,
          modeling: {
            ...request().config.modeling,
            warehouse: {
              type: 'redshift-provisioned',
              clusterIdentifier: 'analytics',
              dbUser: 'clickstream',
            },
          },
        },
      });
      await provisioned.query('SELECT 1');
      expect(
        redshift.commandCalls(ExecuteStatementCommand)[1].args[0].input,
      ).toMatchObject({
        ClusterIdentifier: 'analytics',
        DbUser: 'clickstream',
        Database: 'clickstream',
      });
    } finally {
      redshift.restore();
    }
  });

  it('runs the pre-flight checks first, and deploys nothing when they find problems', async () => {
    const toolkit: DeployToolkit = {
      fromAssemblyBuilder: jest.fn(),
      deploy: jest.fn(),
    };
    const preflight = jest.fn(async () => [
      'account 123456789012 in eu-west-1 is not bootstrapped for the CDK',
      'QuickSight in account 123456789012 is the STANDARD edition',
    ]);
    const { deployer: aws } = deployer(
      cloudFormationWith({}),
      toolkit,
      undefined,
      preflight,
    );
    const state = await aws.deploy(request());
    expect(state).toMatchObject({
      execution: 'FAILED',
      error:
        'the account is not ready for this pipeline: account 123456789012 in eu-west-1 is not bootstrapped for the CDK; QuickSight in account 123456789012 is the STANDARD edition',
    });
    expect(preflight).toHaveBeenCalledWith(
      expect.objectContaining({
        projectId: 'shop',
        accountId: '123456789012',
        region: 'eu-west-1',
        // A collector image is configured, so Docker is not needed.
        buildsImageWithDocker: false,
      }),
      expect.any(Function),
    );
    expect(toolkit.fromAssemblyBuilder).not.toHaveBeenCalled();
    expect(toolkit.deploy).not.toHaveBeenCalled();
    // A destroy needs none of it.
    await aws.delete(request());
    expect(preflight).toHaveBeenCalledTimes(1);
  });

  it('asks for Docker only when the collector image is built on this host', async () => {
    const lambdaCode = () =>
      lambda.Code.fromInline('exports.handler = async () => {}');
    const needsDocker = async (artifacts: AwsDeployerOptions['artifacts']) => {
      const preflight = jest.fn(async () => ['stop here']);
      const toolkit = { fromAssemblyBuilder: jest.fn(), deploy: jest.fn() };
      const { deployer: aws } = deployer(
        cloudFormationWith({}),
        toolkit,
        undefined,
        preflight,
        undefined,
        artifacts,
      );
      await aws.deploy(request());
      return (preflight.mock.calls[0] as any[])[0].buildsImageWithDocker;
    };
    expect(await needsDocker({ lambdaCode })).toBe(true);
    expect(
      await needsDocker({ lambdaCode, collectorImageBuild: 'docker' }),
    ).toBe(true);
    expect(
      await needsDocker({ lambdaCode, collectorImageBuild: 'codebuild' }),
    ).toBe(false);
    expect(
      await needsDocker({
        lambdaCode,
        collectorImageUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/c:1',
      }),
    ).toBe(false);
  });

  it('deletes every stack by name, level by level, without synthesis, an orphaned one included', async () => {
    // Reporting was turned off since the deployment: its stack is still there.
    let stacks: StackStates = all('CREATE_COMPLETE');
    const deleted: string[] = [];
    const client = cloudFormationWith(
      () => stacks,
      ({ StackName }) => {
        const module = StackName!.replace('clickstream-shop-', '');
        // Deleted in the reverse order of the dependencies: a stack after those reading it.
        const importers: Record<string, string[]> = {
          buffer: ['ingestion', 'processing'],
          'data-lake': ['processing', 'modeling'],
          ingestion: ['modeling', 'metrics'],
          processing: ['metrics'],
          modeling: ['metrics', 'reporting'],
        };
        const users = (importers[module] ?? []).filter(m => stacks[m]);
        if (users.length > 0) {
          throw new Error(`${module} is still imported by ${users.join(', ')}`);
        }
        deleted.push(module);
        stacks = { ...stacks, [module]: { status: 'DELETE_IN_PROGRESS' } };
        // Gone by the next look.
        setTimeout(() => {
          const { [module]: _gone, ...rest } = stacks;
          stacks = rest;
        }, 0);
      },
    );
    const toolkit: DeployToolkit = {
      fromAssemblyBuilder: jest.fn(),
      deploy: jest.fn(),
    };
    const { deployer: aws } = deployer(
      client,
      toolkit,
      undefined,
      undefined,
      1,
    );
    const request_ = request();
    const withoutReporting = {
      ...request_,
      config: { ...request_.config, reporting: { type: 'none' as const } },
    };
    expect(await aws.delete(withoutReporting)).toEqual({
      execution: 'SUCCEEDED',
      stacks: [],
      outputs: { dashboards: [] },
    });
    expect(deleted.sort()).toEqual([...ALL].sort());
    expect(toolkit.fromAssemblyBuilder).not.toHaveBeenCalled();
  });

  it('says a pipeline is deleted only when CloudFormation holds none of its stacks', async () => {
    let stacks: StackStates = all('CREATE_COMPLETE');
    const client = cloudFormationWith(
      () => stacks,
      ({ StackName }) => {
        const module = StackName!.replace('clickstream-shop-', '');
        stacks = {
          ...stacks,
          [module]:
            module === 'ingestion'
              ? {
                  status: 'DELETE_FAILED',
                  reason: 'The security group is in use by a network interface',
                }
              : { status: 'DELETE_COMPLETE' },
        };
      },
    );
    const { deployer: aws } = deployer(
      client,
      undefined,
      undefined,
      undefined,
      1,
    );
    const state = await aws.delete(request());
    expect(state.execution).toBe('FAILED');
    expect(state.error).toBe(
      'CloudFormation could not delete clickstream-shop-ingestion: The security group is in use by a network interface',
    );
    // The buffer waits for the level before it: still there.
    expect(stacks.buffer.status).toBe('CREATE_COMPLETE');
  });

  it('reports a failed deployment with its reason instead of throwing', async () => {
    const toolkit: DeployToolkit = {
      fromAssemblyBuilder: jest.fn(async () => {
        throw new Error(
          'Need to perform AWS calls for account 123456789012, but no credentials have been configured',
        );
      }),
      deploy: jest.fn(),
    };
    const { deployer: aws } = deployer(cloudFormationWith({}), toolkit);
    const state = await aws.deploy(request());
    expect(state).toMatchObject({
      execution: 'FAILED',
      stacks: [],
      error: expect.stringContaining('no credentials have been configured'),
    });
  });

  it('synthesizes through the real toolkit without credentials, staging the collector image', async () => {
    const toolkit = new Toolkit({
      ioHost: {
        notify: async () => {},
        requestResponse: async (msg: any) => msg.defaultResponse,
      },
    });
    // The availability zones a deployment would look up with the account's credentials.
    const contextStore = new MemoryContext({
      'availability-zones:account=123456789012:region=eu-west-1': [
        'eu-west-1a',
        'eu-west-1b',
        'eu-west-1c',
      ],
    });
    const cx = await toolkit.fromAssemblyBuilder(
      async ({ outdir, context }) =>
        buildClickstreamApp({
          projectId: 'shop',
          config: request().config,
          apps: [app],
          outdir,
          context,
          env: { account: '123456789012', region: 'eu-west-1' },
          lambdaCode: () =>
            lambda.Code.fromInline('exports.handler = async () => {}'),
        }).synth(),
      { contextStore, lookups: false },
    );
    const synthesized = await toolkit.synth(cx);
    try {
      expect(
        synthesized.cloudAssembly.stacksRecursively
          .map(s => s.stackName)
          .sort(),
      ).toEqual(ALL.map(m => `clickstream-shop-${m}`).sort());
    } finally {
      await synthesized.dispose();
    }
  });
});
