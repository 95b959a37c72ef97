import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  StackProps,
} from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  PipelineConfig,
  WarehouseConfig,
} from '@clickstream/backstage-plugin-clickstream-common';
import { RedshiftTarget } from '@clickstream/backstage-plugin-clickstream-pipeline';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { grantAppRegistryRead } from './appRegistry';
import { bundleCustomResource } from './bundleCustomResource';
import { shared, sharedBucket, sharedVpc } from './shared';

/** The audit logs a new namespace exports to CloudWatch. */
const REDSHIFT_LOG_EXPORTS = [
  'userlog',
  'connectionlog',
  'useractivitylog',
] as const;

/** @public */
export interface ModelingStackProps extends StackProps {
  projectId: string;
  /** A Redshift warehouse of the pipeline configuration (not `duckdb`). */
  warehouse: Exclude<WarehouseConfig, { type: 'duckdb' }>;
  /** The apps: each gets its schema. */
  appIds: string[];
  dataLake: s3.IBucket;
  /** Where a new Redshift Serverless workgroup goes (its private subnets). */
  vpc: ec2.IVpc;
  /** How often loads run (`scheduleExpression`) and how late events may arrive. */
  processing: Pick<
    PipelineConfig['processing'],
    'scheduleExpression' | 'dataFreshnessHours'
  >;
  dataRetentionDays: number;
  /** The Lambda bundle; the load is its `loader.handler`, the schemas its `warehouseSchema.handler`. */
  code: lambda.Code;
}

/** The project's database (a new namespace's, or the one queries use on an existing warehouse). @public */
export const WAREHOUSE_DATABASE = 'clickstream';

/**
 * Where the Data API reaches a project's warehouse: the one the modeling stack creates (named
 * after the project), or the existing workgroup or cluster of the configuration. The loads, the
 * reporting user and the analytics API all address it through this.
 * @public
 */
export function warehouseTarget(
  projectId: string,
  warehouse: Exclude<WarehouseConfig, { type: 'duckdb' }>,
): RedshiftTarget {
  switch (warehouse.type) {
    case 'redshift-serverless':
      return {
        workgroupName: `clickstream-${projectId.replace(/_/g, '-')}`,
        database: WAREHOUSE_DATABASE,
      };
    case 'redshift-serverless-existing':
      return {
        workgroupName: warehouse.workgroupName,
        database: WAREHOUSE_DATABASE,
      };
    default:
      return {
        clusterIdentifier: warehouse.clusterIdentifier,
        dbUser: warehouse.dbUser,
        database: WAREHOUSE_DATABASE,
      };
  }
}

/** The admin user of a new namespace: the schemas, the loads and the portal's queries run as it. */
const WAREHOUSE_ADMIN_USER = 'clickstream_admin';

/**
 * The project's Redshift warehouse: a new Redshift Serverless namespace and workgroup (private,
 * enhanced VPC routing, the admin credentials in a Secrets Manager secret, audit logs exported),
 * or an existing workgroup or provisioned cluster; and in it a schema per app with the tables of
 * the embedded warehouse, created through the Redshift Data API before the stack completes.
 * @public
 */
export class ModelingStack extends Stack {
  /** How the Data API reaches the warehouse. */
  readonly redshiftTarget: RedshiftTarget;
  /** The scheduled load from the data lake. */
  readonly loader: lambda.Function;
  /** The new Redshift Serverless workgroup and its security group (not for an existing one). */
  readonly workgroup?: redshiftserverless.CfnWorkgroup;
  readonly securityGroup?: ec2.ISecurityGroup;
  /** The new namespace's admin credentials (not for an existing warehouse). */
  readonly adminSecret?: secretsmanager.ISecret;
  /** The warehouse the Data API calls are allowed on. */
  readonly #dataApiResources: string[];
  readonly #provisioned: boolean;

  constructor(scope: Construct, id: string, props: ModelingStackProps) {
    super(scope, id, props);
    const { warehouse } = props;
    const dataLake = sharedBucket(this, 'DataLake', props.dataLake);
    const vpc = sharedVpc(this, 'Vpc', props.vpc);
    const name = `clickstream-${props.projectId.replace(/_/g, '-')}`;
    let resources: string[];
    let target = warehouseTarget(props.projectId, warehouse);
    this.#provisioned = warehouse.type === 'redshift-provisioned';
    // The role COPY reads the data lake with; `default` is the cluster's default IAM role.
    let copyRoleArn = 'default';
    let workgroup: redshiftserverless.CfnWorkgroup | undefined;

    if (warehouse.type === 'redshift-serverless') {
      // The role COPY assumes to read the data lake.
      const copyRole = new iam.Role(this, 'CopyRole', {
        assumedBy: new iam.CompositePrincipal(
          new iam.ServicePrincipal('redshift.amazonaws.com'),
          new iam.ServicePrincipal('redshift-serverless.amazonaws.com'),
        ),
      });
      dataLake.grantRead(copyRole);
      copyRoleArn = copyRole.roleArn;
      // Every Data API call runs as this admin. With IAM credentials instead, each function
      // would log in as its own auto-created IAMR: user, owning nothing and granted nothing.
      const adminSecret = new secretsmanager.Secret(this, 'AdminSecret', {
        secretName: `${name}-redshift-admin`,
        description: `The admin user of the Redshift Serverless namespace ${name}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({
            username: WAREHOUSE_ADMIN_USER,
          }),
          generateStringKey: 'password',
          passwordLength: 32,
          excludePunctuation: true,
          requireEachIncludedType: true,
        },
      });
      this.adminSecret = adminSecret;
      target = { ...target, secretArn: adminSecret.secretArn };
      const namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
        namespaceName: name,
        dbName: WAREHOUSE_DATABASE,
        adminUsername: WAREHOUSE_ADMIN_USER,
        // A dynamic reference: CloudFormation resolves it, no template carries the password.
        adminUserPassword: adminSecret
          .secretValueFromJson('password')
          .unsafeUnwrap(),
        iamRoles: [copyRole.roleArn],
        defaultIamRoleArn: copyRole.roleArn,
        logExports: [...REDSHIFT_LOG_EXPORTS],
      });
      // Redshift Serverless writes its exports to account-wide groups it creates without an
      // expiry: give them one, and leave them in place when this stack goes (others share them).
      for (const logType of REDSHIFT_LOG_EXPORTS) {
        new logs.LogRetention(this, `RedshiftLogRetention-${logType}`, {
          logGroupName: `/aws/redshift/serverless/${logType}`,
          retention: logs.RetentionDays.THREE_MONTHS,
          removalPolicy: RemovalPolicy.RETAIN,
        });
      }
      const securityGroup = new ec2.SecurityGroup(
        this,
        'WarehouseSecurityGroup',
        {
          vpc,
          description: `Redshift Serverless of ${name}: no inbound rule, reached through the Data API`,
          allowAllOutbound: false,
        },
      );
      // With enhanced VPC routing, COPY reaches S3 through the VPC: HTTPS out, nothing else.
      securityGroup.addEgressRule(
        ec2.Peer.anyIpv4(),
        ec2.Port.tcp(443),
        'COPY reads the data lake over HTTPS (enhanced VPC routing)',
      );
      workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
        workgroupName: name,
        namespaceName: name,
        baseCapacity: warehouse.baseRpu,
        enhancedVpcRouting: true,
        publiclyAccessible: false,
        subnetIds: vpc.privateSubnets.map(s => s.subnetId),
        securityGroupIds: [securityGroup.securityGroupId],
      });
      workgroup.addResourceDependency(namespace);
      this.workgroup = workgroup;
      this.securityGroup = securityGroup;
      resources = [workgroup.attrWorkgroupWorkgroupArn];
      new CfnOutput(this, 'WorkgroupName', { value: name });
      new CfnOutput(this, 'CopyRoleArn', { value: copyRole.roleArn });
      // The portal's queries run as the admin too; it reads the secret's ARN here.
      new CfnOutput(this, 'WarehouseSecretArn', {
        value: adminSecret.secretArn,
      });
    } else if (warehouse.type === 'redshift-serverless-existing') {
      copyRoleArn = warehouse.iamRoleArn;
      this.#grantDataLakeRead(dataLake, warehouse.iamRoleArn);
      resources = [
        this.formatArn({
          service: 'redshift-serverless',
          resource: 'workgroup',
          resourceName: '*',
        }),
      ];
      new CfnOutput(this, 'WorkgroupName', { value: warehouse.workgroupName });
    } else {
      if (warehouse.iamRoleArn) {
        copyRoleArn = warehouse.iamRoleArn;
        this.#grantDataLakeRead(dataLake, warehouse.iamRoleArn);
      }
      const redshiftArn = (resource: string, resourceName: string) =>
        this.formatArn({
          service: 'redshift',
          resource,
          resourceName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
      resources = [
        redshiftArn('cluster', warehouse.clusterIdentifier),
        redshiftArn(
          'dbuser',
          `${warehouse.clusterIdentifier}/${warehouse.dbUser}`,
        ),
        redshiftArn(
          'dbname',
          `${warehouse.clusterIdentifier}/${WAREHOUSE_DATABASE}`,
        ),
      ];
      new CfnOutput(this, 'ClusterIdentifier', {
        value: warehouse.clusterIdentifier,
      });
    }

    this.redshiftTarget = target;
    this.#dataApiResources = resources;

    // A schema per app, with every table; CREATE ... IF NOT EXISTS, so re-running is harmless.
    // A function of ours rather than one Data API call: it waits for the statements and fails
    // the deployment with Redshift's reason, where a bare call would succeed on submission.
    const schemas = bundleCustomResource(this, 'Schema', {
      code: props.code,
      handler: 'warehouseSchema.handler',
      resourceId: 'Schemas',
      properties: {
        Schemas: props.appIds,
        Target: JSON.stringify(this.redshiftTarget),
      },
      grant: fn => this.grantDataApi(fn),
    });
    if (workgroup) schemas.node.addDependency(workgroup);

    // The scheduled load: COPY of the data lake's new objects, the merge, and retention.
    this.loader = new lambda.Function(this, 'Loader', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: props.code,
      handler: 'loader.handler',
      memorySize: 512,
      timeout: Duration.minutes(15),
      // No reserved concurrency (accounts with a concurrency quota of 10 refuse any): each
      // load locks the app's load log first, so a second one waits for the first.
      environment: {
        CLICKSTREAM_APPS: JSON.stringify(
          props.appIds.map(appId => ({ appId })),
        ),
        CLICKSTREAM_DATA_LAKE_BUCKET: dataLake.bucketName,
        CLICKSTREAM_REDSHIFT_TARGET: JSON.stringify(this.redshiftTarget),
        CLICKSTREAM_COPY_ROLE: copyRoleArn,
        CLICKSTREAM_DATA_FRESHNESS_HOURS: String(
          props.processing.dataFreshnessHours,
        ),
        CLICKSTREAM_DATA_RETENTION_DAYS: String(props.dataRetentionDays),
        NODE_OPTIONS: '--enable-source-maps',
      },
      logGroup: new logs.LogGroup(this, 'LoaderLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    // It lists the data lake and writes the manifests of its loads; COPY reads the objects.
    dataLake.grantPut(this.loader, '_loads/*');
    this.loader.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [dataLake.bucketArn],
      }),
    );
    this.grantDataApi(this.loader);
    // The live registry: an app registered later gets its schema and its loads.
    this.loader.addEnvironment(
      'CLICKSTREAM_APPS_PARAMETER',
      grantAppRegistryRead(this.loader, this, props.projectId),
    );
    new events.Rule(this, 'LoadSchedule', {
      description: `Loads the data lake of ${name} into Redshift`,
      schedule: events.Schedule.expression(props.processing.scheduleExpression),
      targets: [new targets.LambdaFunction(this.loader, { retryAttempts: 2 })],
    });
    new CfnOutput(this, 'LoaderFunctionName', {
      value: this.loader.functionName,
    });

    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'The schema creation (a CDK custom resource) and the load use the AWS-managed basic execution role for their own logs only.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "COPY reads any object of the data lake (keys carry the app and date), and the load writes its manifests under _loads/ (keys carry the run); an existing workgroup is known by name only, and its ARN carries an id, so the Data API is allowed on the account's workgroups; the Data API's DescribeStatement and GetStatementResult take no resource.",
        appliesTo: [
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          { regex: '/^Resource::.*DataLake.*\\/\\*$/' },
          { regex: '/^Resource::.*DataLake.*\\/_loads\\/\\*$/' },
          'Action::s3:Abort*',
          'Resource::*',
          {
            regex:
              '/^Resource::arn:<AWS::Partition>:redshift-serverless:.*:workgroup\\/\\*$/',
          },
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "The provider framework invokes the schema function's versions and aliases (the CDK's grant).",
        appliesTo: [
          { regex: '/^Resource::<SchemaFunction[A-Z0-9]+\\.Arn>:\\*$/' },
        ],
      },
      {
        id: 'AwsSolutions-SMG4',
        reason:
          "CloudFormation sets the namespace's admin password from this secret; a scheduled rotation would change the secret and not the namespace. docs/aws-deployment.md says how to rotate both.",
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The provider framework's Lambda runtime is chosen by the CDK and updated with aws-cdk-lib.",
      },
    ]);
  }

  /**
   * Lets an existing warehouse's COPY role read the data lake: a policy of this stack on the
   * role (of this account), so nobody edits IAM by hand, removed with the stack.
   */
  #grantDataLakeRead(dataLake: s3.IBucket, roleArn: string) {
    dataLake.grantRead(
      iam.Role.fromRoleArn(this, 'ExistingCopyRole', roleArn, {
        mutable: true,
      }),
    );
  }

  /**
   * Lets a function run statements on the warehouse through the Data API, and read results:
   * as the new namespace's admin (reading its secret), or with temporary credentials.
   */
  grantDataApi(grantee: iam.IGrantable, consumer: Stack = this): void {
    this.#adminSecretIn(consumer)?.grantRead(grantee);
    const resources = this.#dataApiResources.map((arn, i) =>
      shared(consumer, `DataApiResource${i + 1}`, arn),
    );
    const statements = [
      new iam.PolicyStatement({
        actions: [
          'redshift-data:ExecuteStatement',
          'redshift-data:BatchExecuteStatement',
        ],
        resources,
      }),
      new iam.PolicyStatement({
        // The Data API checks these on the statement's owner, not on a resource.
        actions: [
          'redshift-data:DescribeStatement',
          'redshift-data:GetStatementResult',
        ],
        resources: ['*'],
      }),
      ...(this.adminSecret ? [] : [this.#credentialsStatement(resources)]),
    ];
    for (const statement of statements) {
      grantee.grantPrincipal.addToPrincipalPolicy(statement);
    }
  }

  /** The warehouse's temporary credentials, which every Data API call on it needs. */
  #credentialsStatement(resources: string[]): iam.PolicyStatement {
    return new iam.PolicyStatement({
      actions: this.#provisioned
        ? ['redshift:GetClusterCredentials']
        : ['redshift-serverless:GetCredentials'],
      resources,
    });
  }

  /** The new namespace's admin secret as `consumer` sees it (shared.ts), if there is one. */
  #adminSecretIn(consumer: Stack): secretsmanager.ISecret | undefined {
    if (!this.adminSecret || consumer === this) return this.adminSecret;
    const id = 'ImportedWarehouseAdminSecret';
    return (
      (consumer.node.tryFindChild(id) as secretsmanager.ISecret | undefined) ??
      secretsmanager.Secret.fromSecretCompleteArn(
        consumer,
        id,
        shared(consumer, 'AdminSecretArn', this.adminSecret.secretArn),
      )
    );
  }
}
