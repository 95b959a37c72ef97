/**
 * Deploys Clickstream pipelines to AWS with the CDK.
 *
 * @packageDocumentation
 */

export { clickstreamModuleAwsDeployer as default } from './module';
