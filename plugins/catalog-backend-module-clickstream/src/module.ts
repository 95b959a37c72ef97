import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { clickstreamServiceRef } from '@clickstream/backstage-plugin-clickstream-node';
import { ClickstreamProjectEntityProvider } from './ClickstreamProjectEntityProvider';

/**
 * Adds the Clickstream project entity provider to the catalog. It refreshes every few
 * seconds (`clickstream.catalog.refreshSeconds`, default 5): a list call to the clickstream
 * backend, cheap next to what the catalog does with the result.
 * @public
 */
export const catalogModuleClickstreamProjects = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'clickstream-projects',
  register({ registerInit }) {
    registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        clickstream: clickstreamServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
      },
      async init({ catalog, clickstream, auth, logger, scheduler, config }) {
        const provider = new ClickstreamProjectEntityProvider({
          clickstream,
          auth,
          logger,
        });
        catalog.addEntityProvider(provider);
        await scheduler.scheduleTask({
          id: 'clickstream-projects-refresh',
          frequency: {
            seconds:
              config.getOptionalNumber('clickstream.catalog.refreshSeconds') ??
              5,
          },
          timeout: { minutes: 1 },
          fn: async () => {
            try {
              await provider.refresh();
            } catch (e) {
              logger.warn('Could not mirror Clickstream projects', {
                error: String(e),
              });
            }
          },
        });
      },
    });
  },
});
