import { ArnFormat, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { WarehouseConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { redshiftSchemaDdl } from '@clickstream/backstage-plugin-clickstream-node';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

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
}

/** The project's database (a new namespace's, or the one queries use on an existing warehouse). */
export const WAREHOUSE_DATABASE = 'clickstream';

/**
 * The project's Redshift warehouse: a new Redshift Serverless namespace and workgroup (private,
 * enhanced VPC routing, the admin password kept by Secrets Manager, audit logs exported), or an
 * existing workgroup or provisioned cluster; and in it a schema per app with the tables of the
 * embedded warehouse, created through the Redshift Data API.
 * @public
 */
export class ModelingStack extends Stack {
  /** How the Data API reaches the warehouse. */
  readonly dataApiTarget: Record<string, string>;

  constructor(scope: Construct, id: string, props: ModelingStackProps) {
    super(scope, id, props);
    const { warehouse } = props;
    const name = `clickstream-${props.projectId.replace(/_/g, '-')}`;
    let resources: string[];
    let workgroup: redshiftserverless.CfnWorkgroup | undefined;

    if (warehouse.type === 'redshift-serverless') {
      // The role COPY assumes to read the data lake.
      const copyRole = new iam.Role(this, 'CopyRole', {
        assumedBy: new iam.CompositePrincipal(
          new iam.ServicePrincipal('redshift.amazonaws.com'),
          new iam.ServicePrincipal('redshift-serverless.amazonaws.com'),
        ),
      });
      props.dataLake.grantRead(copyRole);
      const namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
        namespaceName: name,
        dbName: WAREHOUSE_DATABASE,
        adminUsername: 'clickstream_admin',
        manageAdminPassword: true,
        iamRoles: [copyRole.roleArn],
        defaultIamRoleArn: copyRole.roleArn,
        logExports: ['userlog', 'connectionlog', 'useractivitylog'],
      });
      const securityGroup = new ec2.SecurityGroup(
        this,
        'WarehouseSecurityGroup',
        {
          vpc: props.vpc,
          description: `Redshift Serverless of ${name}: no inbound rule, reached through the Data API`,
          allowAllOutbound: false,
        },
      );
      workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
        workgroupName: name,
        namespaceName: name,
        baseCapacity: warehouse.baseRpu,
        enhancedVpcRouting: true,
        publiclyAccessible: false,
        subnetIds: props.vpc.privateSubnets.map(s => s.subnetId),
        securityGroupIds: [securityGroup.securityGroupId],
      });
      workgroup.addDependency(namespace);
      this.dataApiTarget = {
        WorkgroupName: name,
        Database: WAREHOUSE_DATABASE,
      };
      resources = [workgroup.attrWorkgroupWorkgroupArn];
      new CfnOutput(this, 'WorkgroupName', { value: name });
      new CfnOutput(this, 'CopyRoleArn', { value: copyRole.roleArn });
    } else if (warehouse.type === 'redshift-serverless-existing') {
      this.dataApiTarget = {
        WorkgroupName: warehouse.workgroupName,
        Database: WAREHOUSE_DATABASE,
      };
      resources = [
        this.formatArn({
          service: 'redshift-serverless',
          resource: 'workgroup',
          resourceName: '*',
        }),
      ];
      new CfnOutput(this, 'WorkgroupName', { value: warehouse.workgroupName });
    } else {
      this.dataApiTarget = {
        ClusterIdentifier: warehouse.clusterIdentifier,
        DbUser: warehouse.dbUser,
        Database: WAREHOUSE_DATABASE,
      };
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

    // A schema per app, with every table; CREATE ... IF NOT EXISTS, so re-running is harmless.
    // One call per app: the Data API takes at most 40 statements in a batch.
    for (const appId of props.appIds) {
      const schema = new AwsCustomResource(this, `Schema-${appId}`, {
        onUpdate: {
          service: 'RedshiftData',
          action: 'batchExecuteStatement',
          parameters: { ...this.dataApiTarget, Sqls: redshiftSchemaDdl(appId) },
          physicalResourceId: PhysicalResourceId.of(`${name}-${appId}`),
        },
        policy: AwsCustomResourcePolicy.fromStatements([
          new iam.PolicyStatement({
            actions: ['redshift-data:BatchExecuteStatement'],
            resources,
          }),
          new iam.PolicyStatement({
            actions:
              warehouse.type === 'redshift-provisioned'
                ? ['redshift:GetClusterCredentials']
                : ['redshift-serverless:GetCredentials'],
            resources,
          }),
        ]),
        installLatestAwsSdk: false,
      });
      if (workgroup) schema.node.addDependency(workgroup);
    }

    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'The schema creation is a CDK custom resource; its Lambda uses the AWS-managed basic execution role for its logs only.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "COPY reads any object of the data lake (keys carry the app and date); an existing workgroup is known by name only, and its ARN carries an id, so the Data API is allowed on the account's workgroups.",
        appliesTo: [
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          { regex: '/^Resource::.*DataLake.*\\/\\*$/' },
          {
            regex:
              '/^Resource::arn:<AWS::Partition>:redshift-serverless:.*:workgroup\\/\\*$/',
          },
        ],
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The custom resource Lambda's runtime is chosen by the CDK's AwsCustomResource and updated with aws-cdk-lib.",
      },
    ]);
  }
}
