import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  CLICKSTREAM_PLUGIN_ID,
  clickstreamPermissions,
} from '@clickstream/backstage-plugin-clickstream-common';
import { clickstreamDeployersExtensionPoint } from '@clickstream/backstage-plugin-clickstream-node';
import { DatabaseControlPlaneStore } from './database/DatabaseControlPlaneStore';
import { DeployerRegistry } from './deployers/DeployerRegistry';
import {
  clickstreamProjectPermissionRules,
  clickstreamProjectResourceRef,
} from './permissions';
import { PipelineService, STALE_AFTER_MS } from './service/PipelineService';
import { ProjectAuthorizer } from './service/ProjectAuthorizer';
import { ProjectsService } from './service/ProjectsService';
import { createRouter } from './service/router';
import { LocalDeployer, resumeLocalPipelines } from './deployers/LocalDeployer';
import { createCollectRouter } from './ingestion/collectRouter';
import { LocalIngestion } from './ingestion/LocalIngestion';
import { LocalProcessing } from './processing/LocalProcessing';
import { resolve as resolvePath } from 'node:path';

/**
 * Requests a second one client address, and one app, may send to the embedded collector. An
 * SDK sends one request every few seconds; a company's NAT gathers many users behind one address.
 */
const DEFAULT_RATE_LIMIT = { perIp: 100, perApp: 1_000 };

/**
 * The Clickstream backend plugin, served under `/api/clickstream`.
 * @public
 */
export const clickstreamPlugin = createBackendPlugin({
  pluginId: CLICKSTREAM_PLUGIN_ID,
  register(env) {
    const deployers = new DeployerRegistry();
    env.registerExtensionPoint(clickstreamDeployersExtensionPoint, {
      addDeployer: deployer => deployers.add(deployer),
    });

    env.registerInit({
      deps: {
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        config: coreServices.rootConfig,
      },
      async init({
        database,
        httpAuth,
        httpRouter,
        logger,
        lifecycle,
        permissions,
        permissionsRegistry,
        config,
      }) {
        const store = await DatabaseControlPlaneStore.create({ database });

        permissionsRegistry.addResourceType({
          resourceRef: clickstreamProjectResourceRef,
          permissions: clickstreamPermissions,
          rules: Object.values(clickstreamProjectPermissionRules),
          getResources: ids => store.getProjects(ids),
        });
        const authorizer = new ProjectAuthorizer(
          permissions,
          permissionsRegistry.getPermissionRuleset(
            clickstreamProjectResourceRef,
          ),
        );

        const ingestion = new LocalIngestion({
          store,
          dataDirectory: resolvePath(
            config.getOptionalString('clickstream.dataDirectory') ??
              '.data/clickstream',
          ),
          trustedProxies:
            config.getOptionalStringArray(
              'clickstream.collector.trustedProxies',
            ) ?? [],
          // On by default: the endpoint is public, and shares the process with the portal.
          rateLimit: {
            perIp:
              config.getOptionalNumber(
                'clickstream.collector.rateLimit.perIp',
              ) ?? DEFAULT_RATE_LIMIT.perIp,
            perApp:
              config.getOptionalNumber(
                'clickstream.collector.rateLimit.perApp',
              ) ?? DEFAULT_RATE_LIMIT.perApp,
          },
          logger,
        });
        const processing = new LocalProcessing({
          store,
          dataDirectory: ingestion.dataDirectory,
          log: projectId => ingestion.log(projectId),
          geoDatabase: config.getOptionalString(
            'clickstream.processing.geoDatabase',
          ),
          // A processing process that dies leaves the pipeline Warning, with why, until it runs again.
          onFailure: (projectId, reason) =>
            store
              .recordState(
                projectId,
                {
                  status: 'Warning',
                  lastError: `its processing process stopped (${reason}); it is restarted`,
                },
                {
                  action: null,
                  message: `processing process stopped: ${reason}`,
                  actor: 'clickstream',
                },
              )
              .catch(e =>
                logger.error('Could not record a processing failure', {
                  projectId,
                  error: String(e),
                }),
              ),
          queryTimeoutMs:
            (config.getOptionalNumber(
              'clickstream.analytics.queryTimeoutSeconds',
            ) ?? 30) * 1000,
          logger,
        });
        // The embedded target is built in, unless a module installed its own deployer for it.
        const localDeployer = new LocalDeployer(
          ingestion,
          processing,
          config.getOptionalString('backend.baseUrl') ??
            'http://localhost:7007',
        );
        if (!deployers.find('local')) deployers.add(localDeployer);

        const projects = new ProjectsService(
          store,
          authorizer,
          logger,
          config.getOptionalStringArray('clickstream.aws.allowedAccounts') ??
            [],
        );
        const pipelines = new PipelineService(
          store,
          projects,
          deployers,
          logger,
        );
        await pipelines.recoverInterrupted();
        // Deployed local pipelines run again after a restart, each on its own.
        if (deployers.find('local') === localDeployer) {
          await resumeLocalPipelines({
            store,
            deployer: localDeployer,
            logger,
          });
        }
        const recovery = setInterval(
          () =>
            pipelines.recoverInterrupted().catch(e =>
              logger.warn('Could not recover interrupted pipeline operations', {
                error: String(e),
              }),
            ),
          STALE_AFTER_MS / 2,
        );
        recovery.unref();
        lifecycle.addShutdownHook(async () => {
          clearInterval(recovery);
          // Let short operations finish; longer ones are picked up through their heartbeat.
          await pipelines.idle(10_000);
          await processing.stopAll();
          await ingestion.stopAll();
        });

        // The SDKs' endpoint is public, like any collector; everything else needs credentials.
        httpRouter.addAuthPolicy({
          path: '/collect',
          allow: 'unauthenticated',
        });
        httpRouter.use(createCollectRouter(ingestion));
        httpRouter.use(
          await createRouter({
            httpAuth,
            projects,
            pipelines,
            ingestion,
            processing,
          }),
        );
      },
    });
  },
});
