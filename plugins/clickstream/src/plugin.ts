import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { clickstreamApiRef, ClickstreamClient } from './api';
import { createProjectRouteRef, rootRouteRef } from './routes';

/** @public */
export const clickstreamPlugin = createPlugin({
  id: 'clickstream',
  apis: [
    createApiFactory({
      api: clickstreamApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ClickstreamClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
  externalRoutes: { createProject: createProjectRouteRef },
});

/** The Clickstream page, mounted at `/clickstream` in the app. @public */
export const ClickstreamPage = clickstreamPlugin.provide(
  createRoutableExtension({
    name: 'ClickstreamPage',
    component: () =>
      import('./components/ClickstreamPage').then(m => m.ClickstreamPage),
    mountPoint: rootRouteRef,
  }),
);
