import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { WarehouseConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { bundleCustomResource } from './bundleCustomResource';
import {
  dashboardSheets,
  EVENT_COLUMNS,
  EVENTS,
  eventsSql,
  RETENTION,
  RETENTION_COLUMNS,
  retentionSql,
} from './dashboard';
import { ModelingStack, WAREHOUSE_DATABASE } from './ModelingStack';
import { shared, sharedVpc } from './shared';

/** @public */
export interface ReportingStackProps extends StackProps {
  projectId: string;
  /** The QuickSight user or group the data source, datasets and dashboards are shared with. */
  principalArn: string;
  appIds: string[];
  warehouse: Exclude<WarehouseConfig, { type: 'duckdb' }>;
  modeling: ModelingStack;
  /** The project's network, where QuickSight reaches a new Redshift Serverless workgroup. */
  vpc: ec2.IVpc;
  /** The Lambda bundle; the database user is its `reportingUser.handler`. */
  code: lambda.Code;
}

const READ_ACTIONS = [
  'quicksight:DescribeDataSource',
  'quicksight:DescribeDataSourcePermissions',
  'quicksight:PassDataSource',
];
const DATASET_ACTIONS = [
  'quicksight:DescribeDataSet',
  'quicksight:DescribeDataSetPermissions',
  'quicksight:PassDataSet',
  'quicksight:DescribeIngestion',
  'quicksight:ListIngestions',
];
// QuickSight takes a dashboard's permissions only as its viewer or its owner set, exactly:
// the principal co-owns the dashboards, as in the reference.
const DASHBOARD_ACTIONS = [
  'quicksight:DescribeDashboard',
  'quicksight:ListDashboardVersions',
  'quicksight:QueryDashboard',
  'quicksight:UpdateDashboard',
  'quicksight:DeleteDashboard',
  'quicksight:UpdateDashboardPermissions',
  'quicksight:DescribeDashboardPermissions',
  'quicksight:UpdateDashboardPublishedVersion',
];

/**
 * QuickSight reporting on the project's Redshift warehouse: a read-only database user whose
 * password stays in Secrets Manager, a data source (through a VPC connection for a new
 * Redshift Serverless workgroup), and for each app its datasets and a dashboard with the
 * reference's sheets, shared with the configured principal. The dashboards' URLs are an output.
 * @public
 */
export class ReportingStack extends Stack {
  /** Each app's dashboard, as the entity page links it. */
  readonly dashboards: Array<{ appId: string; url: string }> = [];

  constructor(scope: Construct, id: string, props: ReportingStackProps) {
    super(scope, id, props);
    const { warehouse, modeling } = props;
    // The modeling and ingestion stacks' values, read from their parameters (shared.ts).
    const vpc = sharedVpc(this, 'Vpc', props.vpc);
    const redshiftTarget = shared(
      this,
      'RedshiftTarget',
      JSON.stringify(modeling.redshiftTarget),
    );
    const name = `clickstream-${props.projectId.replace(/_/g, '-')}`;
    const user = `clickstream_${props.projectId.toLowerCase()}_reporting`;

    // The dashboards' database user: created through the Data API by a function that reads
    // the generated password, so no template or event carries it.
    const secret = new secretsmanager.Secret(this, 'ReportingUser', {
      description: `The Redshift user QuickSight reads ${name} with`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: user }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludePunctuation: true,
        requireEachIncludedType: true,
      },
    });
    const databaseUser = bundleCustomResource(this, 'ReportingUser', {
      code: props.code,
      handler: 'reportingUser.handler',
      resourceId: 'DatabaseUser',
      properties: {
        SecretArn: secret.secretArn,
        Schemas: props.appIds,
        Target: redshiftTarget,
      },
      grant: fn => {
        secret.grantRead(fn);
        modeling.grantDataApi(fn, this);
      },
    });

    // Where QuickSight connects: the new workgroup's endpoint over a VPC connection, an
    // existing workgroup's endpoint as the service reports it, or the cluster by its id.
    let redshiftParameters: quicksight.CfnDataSource.RedshiftParametersProperty;
    let vpcConnectionProperties:
      | quicksight.CfnDataSource.VpcConnectionPropertiesProperty
      | undefined;
    if (warehouse.type === 'redshift-serverless') {
      redshiftParameters = {
        host: shared(
          this,
          'WorkgroupEndpoint',
          modeling.workgroup!.attrWorkgroupEndpointAddress,
        ),
        port: 5439,
        database: WAREHOUSE_DATABASE,
      };
      const warehouseSecurityGroupId = shared(
        this,
        'WarehouseSecurityGroupId',
        modeling.securityGroup!.securityGroupId,
      );
      const securityGroup = new ec2.SecurityGroup(this, 'QuickSightAccess', {
        vpc,
        description: `Network interfaces of QuickSight for ${name}`,
        allowAllOutbound: false,
      });
      securityGroup.addEgressRule(
        ec2.Peer.securityGroupId(warehouseSecurityGroupId),
        ec2.Port.tcp(5439),
        'to the Redshift Serverless workgroup',
      );
      new ec2.CfnSecurityGroupIngress(this, 'WarehouseFromQuickSight', {
        groupId: warehouseSecurityGroupId,
        sourceSecurityGroupId: securityGroup.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: 5439,
        toPort: 5439,
        description: 'QuickSight reads the warehouse',
      });
      const vpcRole = new iam.Role(this, 'QuickSightVpcRole', {
        assumedBy: new iam.ServicePrincipal('quicksight.amazonaws.com'),
        inlinePolicies: {
          networkInterfaces: new iam.PolicyDocument({
            statements: [
              new iam.PolicyStatement({
                // EC2 takes no resource for these on interfaces it has not created yet.
                actions: [
                  'ec2:CreateNetworkInterface',
                  'ec2:ModifyNetworkInterfaceAttribute',
                  'ec2:DeleteNetworkInterface',
                  'ec2:DescribeSubnets',
                  'ec2:DescribeSecurityGroups',
                ],
                resources: ['*'],
              }),
            ],
          }),
        },
      });
      const connection = new quicksight.CfnVPCConnection(
        this,
        'VpcConnection',
        {
          awsAccountId: this.account,
          vpcConnectionId: name,
          name,
          roleArn: vpcRole.roleArn,
          securityGroupIds: [securityGroup.securityGroupId],
          subnetIds: vpc.privateSubnets.map(s => s.subnetId),
        },
      );
      vpcConnectionProperties = { vpcConnectionArn: connection.attrArn };
    } else if (warehouse.type === 'redshift-serverless-existing') {
      const endpoint = new cr.AwsCustomResource(this, 'WorkgroupEndpoint', {
        onUpdate: {
          service: 'RedshiftServerless',
          action: 'getWorkgroup',
          parameters: { workgroupName: warehouse.workgroupName },
          physicalResourceId: cr.PhysicalResourceId.of(
            `${name}-${warehouse.workgroupName}`,
          ),
          outputPaths: ['workgroup.endpoint.address'],
        },
        policy: cr.AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: ['redshift-serverless:GetWorkgroup'],
            resources: [
              this.formatArn({
                service: 'redshift-serverless',
                resource: 'workgroup',
                resourceName: '*',
              }),
            ],
          }),
        ]),
        installLatestAwsSdk: false,
      });
      redshiftParameters = {
        host: endpoint.getResponseField('workgroup.endpoint.address'),
        port: 5439,
        database: WAREHOUSE_DATABASE,
      };
    } else {
      redshiftParameters = {
        clusterId: warehouse.clusterIdentifier,
        database: WAREHOUSE_DATABASE,
      };
    }

    const principal = props.principalArn;
    const dataSource = new quicksight.CfnDataSource(this, 'DataSource', {
      awsAccountId: this.account,
      dataSourceId: name,
      name: `Clickstream ${props.projectId}`,
      type: 'REDSHIFT',
      dataSourceParameters: { redshiftParameters },
      // Dynamic references: CloudFormation resolves them, the template holds none of the values.
      credentials: {
        credentialPair: {
          username: user,
          password: secret.secretValueFromJson('password').unsafeUnwrap(),
        },
      },
      vpcConnectionProperties,
      sslProperties: { disableSsl: false },
      permissions: [{ principal, actions: [...READ_ACTIONS] }],
    });
    dataSource.node.addDependency(databaseUser);

    for (const appId of props.appIds) {
      const dataSet = (
        table: string,
        sql: string,
        columns: quicksight.CfnDataSet.InputColumnProperty[],
      ) =>
        new quicksight.CfnDataSet(this, `${appId}-${table}`, {
          awsAccountId: this.account,
          dataSetId: `${name}-${appId}-${table}`,
          name: `Clickstream ${props.projectId} ${appId} ${table}`,
          // Queries go to Redshift: the numbers are as fresh as the last load.
          importMode: 'DIRECT_QUERY',
          physicalTableMap: {
            [table]: {
              customSql: {
                dataSourceArn: dataSource.attrArn,
                name: table,
                sqlQuery: sql,
                columns,
              },
            },
          },
          permissions: [{ principal, actions: DATASET_ACTIONS }],
        });
      const events = dataSet(EVENTS, eventsSql(appId), EVENT_COLUMNS);
      const retention = dataSet(
        RETENTION,
        retentionSql(appId),
        RETENTION_COLUMNS,
      );
      const dashboardId = `${name}-${appId}`;
      new quicksight.CfnDashboard(this, `${appId}-dashboard`, {
        awsAccountId: this.account,
        dashboardId,
        name: `Clickstream ${props.projectId}: ${appId}`,
        definition: {
          dataSetIdentifierDeclarations: [
            { identifier: EVENTS, dataSetArn: events.attrArn },
            { identifier: RETENTION, dataSetArn: retention.attrArn },
          ],
          sheets: dashboardSheets(),
        },
        dashboardPublishOptions: {
          adHocFilteringOption: { availabilityStatus: 'ENABLED' },
          exportToCsvOption: { availabilityStatus: 'ENABLED' },
        },
        permissions: [{ principal, actions: DASHBOARD_ACTIONS }],
      });
      this.dashboards.push({
        appId,
        url: `https://${this.region}.quicksight.aws.amazon.com/sn/dashboards/${dashboardId}`,
      });
    }

    new CfnOutput(this, 'Dashboards', {
      value: JSON.stringify(this.dashboards),
      description: "Each app's QuickSight dashboard: [{ appId, url }]",
    });

    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          "The reporting user's password is set in Redshift by the deployment; rotating it means running the deployment again, which sets the new one.",
      },
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'The database user function and the CDK custom resource functions use the AWS-managed basic execution role for their own logs only.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "QuickSight's VPC role creates network interfaces that do not exist yet; the Data API's statement reads and an existing workgroup (known by name only) take no narrower resource; the CDK provider framework may invoke its own handler's versions.",
        appliesTo: [
          'Resource::*',
          { regex: '/^Resource::<ReportingUserFunction[A-Z0-9]+\\.Arn>:\\*$/' },
          {
            regex:
              '/^Resource::arn:<AWS::Partition>:redshift-serverless:.*:workgroup\\/\\*$/',
          },
        ],
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The CDK provider framework's and custom resource's functions pick their runtime with aws-cdk-lib.",
      },
    ]);
  }
}
