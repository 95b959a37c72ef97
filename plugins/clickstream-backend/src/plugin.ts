import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { CLICKSTREAM_PLUGIN_ID } from '@clickstream/backstage-plugin-clickstream-common';
import { createRouter } from './service/router';

/**
 * The Clickstream backend plugin, served under `/api/clickstream`.
 * @public
 */
export const clickstreamPlugin = createBackendPlugin({
  pluginId: CLICKSTREAM_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({ httpAuth, httpRouter }) {
        httpRouter.use(await createRouter({ httpAuth }));
      },
    });
  },
});
