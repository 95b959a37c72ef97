/*
 * A CloudFormation custom resource (through the CDK's provider framework) of the modeling
 * stack: each app's schema and tables in the Redshift warehouse, created or, after an upgrade,
 * given the columns the new version adds. It waits for the statements to finish and fails with
 * Redshift's reason, so a schema that could not be created fails the deployment instead of
 * every load after it.
 *
 * Resource properties: Schemas (the app ids), Target (JSON of the Data API target).
 */
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { migrateRedshiftSchema } from '../lambda/warehouseSchema';
import { RedshiftDataRunner } from '../warehouse/RedshiftDataRunner';

const redshift = new RedshiftDataClient({});

export interface SchemaResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: { Schemas: string[]; Target: string };
}

export async function handler(
  event: SchemaResourceEvent,
  options: { pollMs?: number } = {},
) {
  const props = event.ResourceProperties;
  const physicalResourceId = `schemas:${JSON.parse(props.Target).database}`;
  // The tables stay on delete: they hold the project's history.
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const runner = new RedshiftDataRunner(redshift, JSON.parse(props.Target), {
    pollMs: options.pollMs ?? 2000,
    timeoutMs: 10 * 60_000,
  });
  for (const appId of props.Schemas) {
    const added = await migrateRedshiftSchema(runner, appId);
    if (added.length > 0) {
      console.log(JSON.stringify({ schema: appId, addedColumns: added }));
    }
  }
  return { PhysicalResourceId: physicalResourceId };
}
