import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { KafkaClient, ListClustersV2Command } from '@aws-sdk/client-kafka';
import { ListUsersCommand, QuickSightClient } from '@aws-sdk/client-quicksight';
import {
  DescribeClustersCommand,
  RedshiftClient,
} from '@aws-sdk/client-redshift';
import {
  ListWorkgroupsCommand,
  RedshiftServerlessClient,
} from '@aws-sdk/client-redshift-serverless';
import {
  AccountResource,
  AccountResourceKind,
} from '@clickstream/backstage-plugin-clickstream-common';

/** The AWS clients the pickers read with, in the project's account and region. */
export interface ResourceClients {
  ec2: EC2Client;
  kafka: KafkaClient;
  redshift: RedshiftClient;
  redshiftServerless: RedshiftServerlessClient;
  quickSight: QuickSightClient;
}

/** A picker shows at most this many: a longer list is for typing the value, not picking it. */
export const MAX_RESOURCES = 500;

type Lister = (
  clients: ResourceClients,
  accountId: string,
) => Promise<AccountResource[]>;

const LISTERS: Record<AccountResourceKind, Lister> = {
  vpcs: ({ ec2 }) =>
    pages(async NextToken => {
      const page = await ec2.send(
        new DescribeVpcsCommand({ NextToken, MaxResults: 100 }),
      );
      return {
        next: page.NextToken,
        items: (page.Vpcs ?? []).map(vpc => {
          const name = vpc.Tags?.find(t => t.Key === 'Name')?.Value;
          return {
            value: vpc.VpcId!,
            label: name ? `${name} (${vpc.VpcId})` : vpc.VpcId!,
            description: [vpc.CidrBlock, vpc.IsDefault ? 'default VPC' : '']
              .filter(Boolean)
              .join(', '),
          };
        }),
      };
    }),

  mskClusters: ({ kafka }) =>
    pages(async NextToken => {
      const page = await kafka.send(
        new ListClustersV2Command({ NextToken, MaxResults: 100 }),
      );
      return {
        next: page.NextToken,
        items: (page.ClusterInfoList ?? []).map(cluster => ({
          value: cluster.ClusterArn!,
          label: cluster.ClusterName ?? cluster.ClusterArn!,
          description: [
            cluster.ClusterType === 'SERVERLESS' ? 'serverless' : 'provisioned',
            cluster.State?.toLowerCase(),
          ]
            .filter(Boolean)
            .join(', '),
        })),
      };
    }),

  redshiftWorkgroups: ({ redshiftServerless }) =>
    pages(async nextToken => {
      const page = await redshiftServerless.send(
        new ListWorkgroupsCommand({ nextToken, maxResults: 100 }),
      );
      return {
        next: page.nextToken,
        items: (page.workgroups ?? []).map(workgroup => ({
          value: workgroup.workgroupName!,
          label: workgroup.workgroupName!,
          description: [
            workgroup.namespaceName && `namespace ${workgroup.namespaceName}`,
            workgroup.baseCapacity && `${workgroup.baseCapacity} RPUs`,
            workgroup.status?.toLowerCase(),
          ]
            .filter(Boolean)
            .join(', '),
        })),
      };
    }),

  redshiftClusters: ({ redshift }) =>
    pages(async Marker => {
      const page = await redshift.send(
        new DescribeClustersCommand({ Marker, MaxRecords: 100 }),
      );
      return {
        next: page.Marker,
        items: (page.Clusters ?? []).map(cluster => ({
          value: cluster.ClusterIdentifier!,
          label: cluster.ClusterIdentifier!,
          description: [
            cluster.NodeType &&
              `${cluster.NumberOfNodes ?? 1} × ${cluster.NodeType}`,
            cluster.ClusterStatus,
          ]
            .filter(Boolean)
            .join(', '),
        })),
      };
    }),

  // QuickSight users live in the account's default namespace.
  quickSightUsers: ({ quickSight }, accountId) =>
    pages(async NextToken => {
      const page = await quickSight.send(
        new ListUsersCommand({
          AwsAccountId: accountId,
          Namespace: 'default',
          NextToken,
          MaxResults: 100,
        }),
      );
      return {
        next: page.NextToken,
        items: (page.UserList ?? [])
          .filter(user => user.Active !== false)
          .map(user => ({
            value: user.Arn!,
            label: user.UserName ?? user.Arn!,
            description: [user.Email, user.Role?.toLowerCase()]
              .filter(Boolean)
              .join(', '),
          })),
      };
    }),
};

/** Reads pages until there are no more or {@link MAX_RESOURCES} items are in. */
async function pages(
  read: (
    token: string | undefined,
  ) => Promise<{ next?: string; items: AccountResource[] }>,
): Promise<AccountResource[]> {
  const items: AccountResource[] = [];
  let token: string | undefined;
  do {
    const page = await read(token);
    items.push(...page.items.filter(i => i.value));
    token = page.next;
  } while (token && items.length < MAX_RESOURCES);
  return items;
}

/**
 * Lists one kind of resource in an account and region, page by page up to
 * {@link MAX_RESOURCES}, sorted by label.
 */
export async function listAccountResources(
  kind: AccountResourceKind,
  clients: ResourceClients,
  accountId: string,
): Promise<AccountResource[]> {
  const items = await LISTERS[kind](clients, accountId);
  return items
    .slice(0, MAX_RESOURCES)
    .sort((a, b) => a.label.localeCompare(b.label));
}
