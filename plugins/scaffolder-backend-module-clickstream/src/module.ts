import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ scaffolderActions, discovery, auth, logger }) {
        const actions = createClickstreamActions({ discovery, auth });
        scaffolderActions.addActions(...actions);
        logger.info('Registered Clickstream scaffolder actions', {
          actions: actions.map(a => a.id).join(','),
        });
      },
    });
  },
});
