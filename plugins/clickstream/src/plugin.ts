import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { clickstreamApiRef, ClickstreamClient } from './api';
import {
  createProjectRouteRef,
  entityDashboardsRouteRef,
  rootRouteRef,
} from './routes';

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
  routes: { root: rootRouteRef, entityDashboards: entityDashboardsRouteRef },
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

/**
 * The pipeline of the project an entity stands for: status per module, endpoint, traffic,
 * and deploy, retry and delete for those allowed. @public
 */
export const EntityClickstreamPipelineCard = clickstreamPlugin.provide(
  createComponentExtension({
    name: 'EntityClickstreamPipelineCard',
    component: {
      lazy: () =>
        import('./components/EntityPipelineCard').then(
          m => m.EntityPipelineCard,
        ),
    },
  }),
);

/** SDK setup per app and platform, with the project's real endpoint and appIds. @public */
export const EntityClickstreamSdkCard = clickstreamPlugin.provide(
  createComponentExtension({
    name: 'EntityClickstreamSdkCard',
    component: {
      lazy: () =>
        import('./components/EntitySdkCard').then(m => m.EntitySdkCard),
    },
  }),
);

/** The dashboards of a project's apps, for an entity page tab. @public */
export const EntityClickstreamDashboardsContent = clickstreamPlugin.provide(
  createRoutableExtension({
    name: 'EntityClickstreamDashboardsContent',
    component: () =>
      import('./components/EntityDashboardsContent').then(
        m => m.EntityDashboardsContent,
      ),
    mountPoint: entityDashboardsRouteRef,
  }),
);
