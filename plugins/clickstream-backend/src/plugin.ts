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
import { readClickstreamConfig } from './config';
import { AnalyticsService } from './service/AnalyticsService';

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
        scheduler: coreServices.scheduler,
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
        scheduler,
        config,
      }) {
        const options = readClickstreamConfig(config);
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
        const projects = new ProjectsService(
          store,
          authorizer,
          logger,
          options.allowedAwsAccounts,
        );
        const pipelines = new PipelineService(
          store,
          projects,
          deployers,
          logger,
        );

        // The embedded target: ingestion and processing in this backend, unless a module
        // installed its own deployer for it.
        const ingestion = new LocalIngestion({
          store,
          logger,
          dataDirectory: options.dataDirectory,
          trustedProxies: options.trustedProxies,
          rateLimit: options.rateLimit,
        });
        const processing = new LocalProcessing({
          store,
          logger,
          dataDirectory: ingestion.dataDirectory,
          log: projectId => ingestion.log(projectId),
          geoDatabase: options.geoDatabase,
          queryTimeoutMs: options.queryTimeoutMs,
          // A processing process that dies leaves the pipeline Warning, with why, until it runs again.
          onFailure: (projectId, reason) =>
            pipelines.markWarning(
              projectId,
              `its processing process stopped (${reason}); it is restarted`,
            ),
        });
        const localDeployer = new LocalDeployer(
          ingestion,
          processing,
          options.baseUrl,
        );
        if (!deployers.find('local')) deployers.add(localDeployer);

        // Operations whose instance stopped are marked aborted, at start and then on a schedule.
        await pipelines.recoverInterrupted();
        await scheduler.scheduleTask({
          id: 'clickstream-recover-interrupted-operations',
          frequency: { milliseconds: STALE_AFTER_MS / 2 },
          timeout: { milliseconds: STALE_AFTER_MS / 2 },
          initialDelay: { milliseconds: STALE_AFTER_MS / 2 },
          fn: () => pipelines.recoverInterrupted(),
        });
        // Deployed local pipelines run again after a restart, each on its own.
        if (deployers.find('local') === localDeployer) {
          await resumeLocalPipelines({
            store,
            deployer: localDeployer,
            pipelines,
            logger,
          });
        }
        lifecycle.addShutdownHook(async () => {
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
            analytics: new AnalyticsService(projects, pipelines, processing),
            ingestion,
            processing,
          }),
        );
      },
    });
  },
});
