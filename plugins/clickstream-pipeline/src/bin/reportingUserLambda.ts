/*
 * A CloudFormation custom resource (through the CDK's provider framework) of the reporting
 * stack: the read-only Redshift user QuickSight connects with, its password read from Secrets
 * Manager here so it never appears in a template or an event.
 *
 * Resource properties: SecretArn (JSON with username and password), Schemas (the app ids),
 * Target (JSON { workgroupName, database } or { clusterIdentifier, dbUser, database }).
 */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import {
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ensureReportingUser } from '../lambda/reportingUser';
import { RedshiftDataRunner } from '../warehouse/RedshiftDataRunner';

const secrets = new SecretsManagerClient({});
const redshift = new RedshiftDataClient({});

interface CustomResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: { SecretArn: string; Schemas: string[]; Target: string };
}

export async function handler(event: CustomResourceEvent) {
  const props = event.ResourceProperties;
  const physicalResourceId = `reporting-user:${props.SecretArn}`;
  // The user stays on delete: it may own grants other tools rely on.
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({ SecretId: props.SecretArn }),
  );
  const { username, password } = JSON.parse(SecretString!);
  await ensureReportingUser(
    new RedshiftDataRunner(redshift, JSON.parse(props.Target), {
      pollMs: 1000,
      timeoutMs: 10 * 60_000,
    }),
    { user: username, password, schemas: props.Schemas },
  );
  return { PhysicalResourceId: physicalResourceId };
}
