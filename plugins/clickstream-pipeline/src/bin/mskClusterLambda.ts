/*
 * A CloudFormation custom resource (through the CDK's provider framework) of the buffer stack:
 * the existing MSK cluster a project buffers in, looked up at each deployment. It fails the
 * deployment with what to fix when the cluster cannot serve the pipeline (not active, no IAM
 * access control), instead of a collector that cannot connect.
 *
 * Resource properties: ClusterArn. Attributes: Brokers (IAM brokers, comma-separated) and
 * SecurityGroupId (the cluster's first security group, which the collector is let into).
 */
import { KafkaClient } from '@aws-sdk/client-kafka';
import { describeMskCluster } from '../lambda/mskCluster';

const kafka = new KafkaClient({});

export interface MskClusterResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: { ClusterArn: string };
}

export async function handler(event: MskClusterResourceEvent) {
  // The cluster is not the project's: nothing to undo.
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const clusterArn = event.ResourceProperties.ClusterArn;
  const facts = await describeMskCluster(kafka, clusterArn);
  if (facts.securityGroupIds.length === 0) {
    throw new Error(`the MSK cluster ${clusterArn} has no security group`);
  }
  return {
    PhysicalResourceId: clusterArn,
    Data: {
      Brokers: facts.brokers,
      SecurityGroupId: facts.securityGroupIds[0],
    },
  };
}
