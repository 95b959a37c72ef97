import { CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/**
 * A CloudFormation custom resource whose handler is a function of the pipeline's Lambda bundle,
 * run through the CDK's provider framework: the handler may wait for what it starts (up to 12
 * minutes) and fails the deployment with its own message. Its constructs are named after `id`
 * (`<id>Function`, `<id>Logs`, `<id>Provider`, `<id>ProviderLogs`).
 */
export function bundleCustomResource(
  scope: Construct,
  id: string,
  options: {
    code: lambda.Code;
    /** The handler in the bundle, such as `warehouseSchema.handler`. */
    handler: string;
    /** The custom resource's own id. */
    resourceId: string;
    properties: Record<string, unknown>;
    /** Grants the handler what it needs before the resource runs it. */
    grant(fn: lambda.IFunction): void;
  },
): CustomResource {
  const logGroup = (logsId: string) =>
    new logs.LogGroup(scope, logsId, {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
  const fn = new lambda.Function(scope, `${id}Function`, {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    code: options.code,
    handler: options.handler,
    timeout: Duration.minutes(12),
    logGroup: logGroup(`${id}Logs`),
  });
  options.grant(fn);
  const provider = new cr.Provider(scope, `${id}Provider`, {
    onEventHandler: fn,
    logGroup: logGroup(`${id}ProviderLogs`),
  });
  return new CustomResource(scope, options.resourceId, {
    serviceToken: provider.serviceToken,
    properties: options.properties,
  });
}
