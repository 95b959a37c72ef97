import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import {
  appRegistryParameterName,
  formatRegistryApps,
} from '@clickstream/backstage-plugin-clickstream-pipeline';

/** An app as the live registry holds it. @public */
export interface RegistryAppConfig {
  appId: string;
  corsOrigins?: string[];
  enabled?: boolean;
  timezone?: string | null;
}

/**
 * The apps as the registry holds them: each app's allowed web origins together with the
 * pipeline-wide ones (`ingestion.corsOrigins`), as the collector checks them.
 * @public
 */
export function registryApps(
  apps: RegistryAppConfig[],
  pipelineCorsOrigins: string[],
): RegistryAppConfig[] {
  return apps.map(app => ({
    ...app,
    corsOrigins: [...(app.corsOrigins ?? []), ...pipelineCorsOrigins],
  }));
}

/**
 * The project's live app registry: an SSM parameter holding the apps at deployment, which the
 * control plane rewrites whenever an app is registered, changed or deleted. The collector, the
 * processor and the loader read it at run time, so apps go live without a redeployment.
 * Intelligent-Tiering: a long list of apps and origins may outgrow a standard parameter's 4 KB.
 */
export function createAppRegistry(
  stack: Stack,
  projectId: string,
  apps: RegistryAppConfig[],
): ssm.StringParameter {
  return new ssm.StringParameter(stack, 'AppRegistry', {
    parameterName: appRegistryParameterName(projectId),
    stringValue: formatRegistryApps(apps),
    tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    description: `The apps of Clickstream project ${projectId}; the portal rewrites it on app changes`,
  });
}

/**
 * Lets `grantee` read the registry (by name: no reference to the buffer stack that holds it)
 * and answers the name, for the reader's environment.
 */
export function grantAppRegistryRead(
  grantee: iam.IGrantable,
  stack: Stack,
  projectId: string,
): string {
  const name = appRegistryParameterName(projectId);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: [
        stack.formatArn({
          service: 'ssm',
          resource: 'parameter',
          resourceName: name.slice(1),
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    }),
  );
  return name;
}
