import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { clickstreamServiceRef } from '@clickstream/backstage-plugin-clickstream-node';
import { createClickstreamActions } from './actions';

/**
 * Registers the Clickstream actions with the scaffolder.
 * @public
 */
export const scaffolderModuleClickstream = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'clickstream',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        clickstream: clickstreamServiceRef,
        logger: coreServices.logger,
      },
      async init({ scaffolderActions, clickstream, logger }) {
        const actions = createClickstreamActions({ clickstream });
        scaffolderActions.addActions(...actions);
        logger.info('Registered Clickstream scaffolder actions', {
          actions: actions.map(a => a.id).join(','),
        });
      },
    });
  },
});
