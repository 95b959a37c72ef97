import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { ClickstreamApi, clickstreamApiRef } from '../../api';
import {
  app,
  mockClickstreamApi,
  pipeline,
  projectEntity,
} from '../../testing/fixtures';
import { EntitySdkCard } from './EntitySdkCard';

const ENDPOINT = 'http://localhost:7007/api/clickstream/collect/shop';

function renderCard(api: ClickstreamApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[clickstreamApiRef, api]]}>
      <EntityProvider entity={projectEntity}>
        <EntitySdkCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

/** The text of every code snippet on screen. */
const snippets = () =>
  Array.from(document.querySelectorAll('pre')).map(pre => pre.textContent);

describe('<EntitySdkCard />', () => {
  it("gives each SDK's snippet with the project's endpoint and the app's appId", async () => {
    const api = mockClickstreamApi({
      listApps: jest.fn(async () => ({
        items: [
          app(),
          app({
            appId: 'android_app',
            name: 'Android app',
            platforms: ['Android', 'iOS'],
          }),
        ],
        totalCount: 2,
        limit: 500,
        offset: 0,
      })),
    });
    await renderCard(api);

    expect(await screen.findByText('web')).toBeInTheDocument();
    // Only the SDKs of the app's platforms: the web app gets the Web SDK.
    expect(screen.getAllByRole('tab').map(tab => tab.textContent)).toEqual([
      'Web',
    ]);
    expect(snippets().join('\n')).toContain(
      `appId: 'web',\n  endpoint: '${ENDPOINT}',`,
    );

    // The second app, on Android: the configuration file carries its appId and the endpoint.
    fireEvent.mouseDown(screen.getByRole('button', { name: /Web shop/ }));
    fireEvent.click(await screen.findByRole('option', { name: /Android app/ }));
    expect(screen.getAllByRole('tab').map(tab => tab.textContent)).toEqual([
      'Android',
      'iOS (Swift)',
    ]);
    fireEvent.click(screen.getByRole('tab', { name: 'Android' }));
    const config = JSON.parse(
      snippets().find(text => text?.includes('awsClickstreamPlugin'))!,
    );
    expect(config.analytics.plugins.awsClickstreamPlugin).toMatchObject({
      appId: 'android_app',
      endpoint: ENDPOINT,
    });
    expect(
      screen.getByRole('button', {
        name: 'Download amplifyconfiguration.json',
      }),
    ).toBeInTheDocument();
  });

  it('waits for a deployment before showing an endpoint', async () => {
    const api = mockClickstreamApi({
      getPipeline: jest.fn(async () =>
        pipeline({
          status: 'NotDeployed',
          stacks: [],
          outputs: { dashboards: [] },
        }),
      ),
    });
    await renderCard(api);
    expect(
      await screen.findByText(
        'The SDK endpoint appears here once the pipeline is deployed.',
      ),
    ).toBeInTheDocument();
  });

  it('asks for an app when the project has none', async () => {
    const api = mockClickstreamApi({
      listApps: jest.fn(async () => ({
        items: [],
        totalCount: 0,
        limit: 500,
        offset: 0,
      })),
    });
    await renderCard(api);
    expect(await screen.findByText('No apps yet')).toBeInTheDocument();
  });
});
