/**
 * The Clickstream frontend plugin for apps on Backstage's new frontend system: install the
 * package and the app discovers it (`app.packages: all`), or add it to `createApp`'s features.
 *
 * @packageDocumentation
 */
import {
  compatWrapper,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import TimelineIcon from '@material-ui/icons/Timeline';
import { clickstreamApiRef, ClickstreamClient } from './api';
import { isClickstreamAvailable } from './conditions';
import {
  createProjectRouteRef,
  entityDashboardsRouteRef,
  rootRouteRef,
} from './routes';

const routes = convertLegacyRouteRefs({
  root: rootRouteRef,
  entityDashboards: entityDashboardsRouteRef,
});
const externalRoutes = convertLegacyRouteRefs({
  createProject: createProjectRouteRef,
});

const clickstreamApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: clickstreamApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ClickstreamClient({ discoveryApi, fetchApi }),
    }),
});

/** The Clickstream page at /clickstream, with its item in the navigation. */
const clickstreamPage = PageBlueprint.make({
  params: {
    path: '/clickstream',
    title: 'Clickstream',
    icon: <TimelineIcon fontSize="inherit" />,
    routeRef: routes.root,
    loader: () =>
      import('./components/ClickstreamPage').then(m =>
        compatWrapper(<m.ClickstreamPage />),
      ),
  },
});

// The cards and the Dashboards tab show on the entity of a project only.
const pipelineCard = EntityCardBlueprint.make({
  name: 'pipeline',
  params: {
    filter: isClickstreamAvailable,
    loader: () =>
      import('./components/EntityPipelineCard').then(m =>
        compatWrapper(<m.EntityPipelineCard />),
      ),
  },
});

const sdkCard = EntityCardBlueprint.make({
  name: 'sdk',
  params: {
    filter: isClickstreamAvailable,
    loader: () =>
      import('./components/EntitySdkCard').then(m =>
        compatWrapper(<m.EntitySdkCard />),
      ),
  },
});

const dashboardsContent = EntityContentBlueprint.make({
  name: 'dashboards',
  params: {
    path: '/dashboards',
    title: 'Dashboards',
    routeRef: routes.entityDashboards,
    filter: isClickstreamAvailable,
    loader: () =>
      import('./components/EntityDashboardsContent').then(m =>
        compatWrapper(<m.EntityDashboardsContent />),
      ),
  },
});

/** The Clickstream plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'clickstream',
  title: 'Clickstream',
  icon: <TimelineIcon fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes,
  externalRoutes,
  extensions: [
    clickstreamApi,
    clickstreamPage,
    pipelineCard,
    sdkCard,
    dashboardsContent,
  ],
});
