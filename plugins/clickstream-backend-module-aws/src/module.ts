import {
  coreServices,
  createBackendModule,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { clickstreamDeployersExtensionPoint } from '@clickstream/backstage-plugin-clickstream-node';
import { AwsDeployer } from './AwsDeployer';

/**
 * Deploys `aws` Clickstream pipelines with the CDK, under the accounts of Backstage's AWS
 * integration configuration (`aws.accounts`, `aws.mainAccount`).
 * @public
 */
export const clickstreamModuleAwsDeployer = createBackendModule({
  pluginId: 'clickstream',
  moduleId: 'aws-deployer',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        deployers: clickstreamDeployersExtensionPoint,
      },
      async init({ config, logger, deployers }) {
        deployers.addDeployer(
          new AwsDeployer({
            credentials: DefaultAwsCredentialsManager.fromConfig(config),
            logger,
            artifacts: {
              collectorImageUri: config.getOptionalString(
                'clickstream.aws.collectorImage',
              ),
              collectorImageBuild: collectorImageBuild(config),
            },
          }),
        );
      },
    });
  },
});

/** `clickstream.aws.collectorImageBuild`, checked at startup rather than at the first deploy. */
function collectorImageBuild(
  config: RootConfigService,
): 'docker' | 'codebuild' {
  const key = 'clickstream.aws.collectorImageBuild';
  const value = config.getOptionalString(key) ?? 'docker';
  if (value !== 'docker' && value !== 'codebuild') {
    throw new Error(`${key} must be 'docker' or 'codebuild', not '${value}'`);
  }
  return value;
}
