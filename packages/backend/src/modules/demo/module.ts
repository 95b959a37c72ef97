import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ApiCall, ClickstreamDemo } from './ClickstreamDemo';

/** How often the live feed sends what is due. */
const TICK_MS = 5_000;

/**
 * The demo of a first start (`clickstream.demo.enabled`): a local project whose app a data
 * generator keeps feeding, so a new user sees a working pipeline and moving dashboards.
 */
export default createBackendModule({
  pluginId: 'clickstream',
  moduleId: 'demo',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, auth, discovery, lifecycle }) {
        const demo = config.getOptionalConfig('clickstream.demo');
        if (!demo?.getOptionalBoolean('enabled')) return;

        const api: ApiCall = async (method, path, body) => {
          const baseUrl = await discovery.getBaseUrl('clickstream');
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: await auth.getOwnServiceCredentials(),
            targetPluginId: 'clickstream',
          });
          const response = await fetch(`${baseUrl}${path}`, {
            method,
            headers: {
              Authorization: `Bearer ${token}`,
              ...(body ? { 'Content-Type': 'application/json' } : {}),
            },
            body: body ? JSON.stringify(body) : undefined,
          });
          if (!response.ok) throw await ResponseError.fromResponse(response);
          return response.json();
        };
        const generator = new ClickstreamDemo(
          {
            projectId: demo.getOptionalString('projectId') ?? 'demo',
            appId: 'shop',
            historyDays: demo.getOptionalNumber('historyDays') ?? 28,
            historyUsers: demo.getOptionalNumber('historyUsers') ?? 300,
            usersPerMinute: demo.getOptionalNumber('usersPerMinute') ?? 2,
          },
          api,
          logger,
        );

        let timer: NodeJS.Timeout | undefined;
        let stopped = false;
        lifecycle.addStartupHook(() => {
          // In the background: the backend is up while the demo fills.
          (async () => {
            const { endpoint, created } = await generator.setUp();
            if (created) await generator.sendHistory(endpoint);
            const tick = async () => {
              if (stopped) return;
              try {
                await generator.tick(endpoint);
              } catch (e) {
                logger.warn(`Clickstream demo feed failed: ${e}`);
              }
              if (!stopped) timer = setTimeout(tick, TICK_MS);
            };
            await tick();
          })().catch(e =>
            logger.error(`Clickstream demo could not start: ${e}`),
          );
        });
        lifecycle.addShutdownHook(() => {
          stopped = true;
          clearTimeout(timer);
        });
      },
    });
  },
});
