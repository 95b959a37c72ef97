import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleClickstream } from './module';

describe('scaffolderModuleClickstream', () => {
  it('registers its actions through the scaffolder extension point', async () => {
    const addActions = jest.fn();
    // A stand-in scaffolder plugin that only owns the extension point, so the test sees
    // exactly what the module hands to the real scaffolder.
    const scaffolder = createBackendPlugin({
      pluginId: 'scaffolder',
      register(env) {
        env.registerExtensionPoint(scaffolderActionsExtensionPoint, {
          addActions,
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });

    await startTestBackend({
      features: [scaffolder, scaffolderModuleClickstream],
    });

    expect(addActions).toHaveBeenCalledTimes(1);
    for (const action of addActions.mock.calls[0]) {
      expect(action.id).toMatch(/^clickstream:[a-z]+:[a-z]+$/);
    }
  });
});
