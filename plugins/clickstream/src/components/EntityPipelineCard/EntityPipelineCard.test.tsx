import { RouteRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ClickstreamApi, clickstreamApiRef } from '../../api';
import {
  mockClickstreamApi,
  pipeline,
  project,
  projectEntity,
  projectEntityFor,
  responseError,
} from '../../testing/fixtures';
import { rootRouteRef } from '../../routes';
import { EntityPipelineCard } from './EntityPipelineCard';

function renderCard(
  api: ClickstreamApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  entity = projectEntity,
  mountedRoutes?: Record<string, RouteRef>,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [clickstreamApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityPipelineCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

const row = (label: string) => screen.getByText(label).closest('tr')!;

describe('<EntityPipelineCard />', () => {
  it('shows the status of each module, the endpoint and the traffic', async () => {
    const api = mockClickstreamApi({
      getPipeline: jest.fn(async () =>
        pipeline({
          stacks: [
            { name: 'ingestion', status: 'CREATE_COMPLETE' },
            { name: 'buffer', status: 'CREATE_COMPLETE' },
            { name: 'processing', status: 'UPDATE_IN_PROGRESS' },
            { name: 'modeling', status: 'UPDATE_FAILED' },
          ],
        }),
      ),
    });
    await renderCard(api);

    expect(await screen.findByText('Project shop')).toBeInTheDocument();
    expect(within(row('Status')).getByText('Active')).toBeInTheDocument();
    expect(
      screen.getByText('http://localhost:7007/api/clickstream/collect/shop'),
    ).toBeInTheDocument();
    expect(
      within(row('Traffic')).getByText(
        /^240 events\/min, last received \d s ago$/,
      ),
    ).toBeInTheDocument();
    // The embedded runtime has no stacks: its modules' states in plain words.
    expect(within(row('Ingestion')).getByText('Running')).toBeInTheDocument();
    expect(
      within(row('Processing')).getByText('Restarting'),
    ).toBeInTheDocument();
    expect(within(row('Modeling')).getByText('Failed')).toBeInTheDocument();
    expect(
      within(row('Reporting')).getByText('Not deployed'),
    ).toBeInTheDocument();
    expect(api.getProject).toHaveBeenCalledWith('shop');
  });

  it('links each AWS stack to CloudFormation and lists the QuickSight dashboards', async () => {
    const api = mockClickstreamApi({
      getProject: jest.fn(async () => ({
        ...project,
        target: {
          type: 'aws' as const,
          accountId: '123456789012',
          region: 'eu-west-1',
        },
      })),
      getPipeline: jest.fn(async () =>
        pipeline({
          stacks: [
            { name: 'clickstream-shop-ingestion', status: 'CREATE_COMPLETE' },
          ],
          outputs: {
            endpointUrl: 'https://collect.shop.example.com/collect',
            dashboards: [
              {
                name: 'QuickSight: shop',
                url: 'https://quicksight.aws.amazon.com/sn/dashboards/shop',
              },
            ],
          },
        }),
      ),
    });
    await renderCard(api);

    const ingestionLink = within(
      await screen.findByText('Ingestion').then(() => row('Ingestion')),
    ).getByRole('link');
    // An AWS stack's status as CloudFormation's console shows it.
    expect(ingestionLink).toHaveTextContent('CREATE_COMPLETE');
    expect(ingestionLink).toHaveAttribute(
      'href',
      'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks?filteringText=clickstream-shop-ingestion',
    );
    expect(
      screen.getByRole('link', { name: /QuickSight: shop/ }),
    ).toHaveAttribute(
      'href',
      'https://quicksight.aws.amazon.com/sn/dashboards/shop',
    );
    expect(screen.getByText('AWS 123456789012 eu-west-1')).toBeInTheDocument();
    // Ingestion counters are the embedded runtime's; an AWS project has none.
    expect(api.getIngestion).not.toHaveBeenCalled();
  });

  it("links to the project's page where the app mounts the Clickstream page, and only there", async () => {
    await renderCard(
      mockClickstreamApi(),
      AuthorizeResult.ALLOW,
      projectEntity,
      { '/clickstream': rootRouteRef },
    );
    expect(
      await screen.findByRole('link', { name: /Manage apps and settings/ }),
    ).toHaveAttribute('href', '/clickstream/projects/shop');
  });

  it('has no link to the project page in an app without the Clickstream page', async () => {
    await renderCard(mockClickstreamApi());
    expect(await screen.findByText('Project shop')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /Manage apps and settings/ }),
    ).not.toBeInTheDocument();
  });

  it("shows the pipeline's health checks, alarms first, each linked to its alarm", async () => {
    const api = mockClickstreamApi({
      getPipelineHealth: jest.fn(async () => ({
        checks: [
          {
            name: 'Collector CPU above 85%',
            state: 'OK' as const,
            reason: 'Threshold Crossed: no datapoint',
            url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home#alarmsV2:alarm/cpu',
            since: null,
          },
          {
            name: 'Processing failed',
            state: 'ALARM' as const,
            reason: 'Threshold Crossed: 1 datapoint [3.0] was >= 1.0',
            url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home#alarmsV2:alarm/processing',
            since: '2026-12-01T10:00:00.000Z',
          },
        ],
      })),
    });
    await renderCard(api);
    const health = within(await waitFor(() => row('Health')));
    expect(health.getByText('1 of 2 checks in alarm')).toBeInTheDocument();
    const links = health.getAllByRole('link');
    // External links say so to screen readers (Backstage's Link adds the words).
    expect(links.map(l => l.textContent)).toEqual([
      'Processing failed, Opens in a new window',
      'Collector CPU above 85%, Opens in a new window',
    ]);
    expect(links[0]).toHaveAttribute(
      'href',
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home#alarmsV2:alarm/processing',
    );
    // Why it is in alarm; an OK check's reason is left out.
    expect(
      health.getByText('Threshold Crossed: 1 datapoint [3.0] was >= 1.0'),
    ).toBeInTheDocument();
    expect(
      health.queryByText('Threshold Crossed: no datapoint'),
    ).not.toBeInTheDocument();
  });

  it('says why the health cannot be read, and still shows the pipeline', async () => {
    const api = mockClickstreamApi({
      getPipelineHealth: jest.fn(async () => {
        throw new Error('AccessDenied: cloudwatch:DescribeAlarms');
      }),
    });
    await renderCard(api);
    expect(
      await screen.findByText(
        'The alarms cannot be read now: AccessDenied: cloudwatch:DescribeAlarms',
      ),
    ).toBeInTheDocument();
    expect(within(row('Status')).getByText('Active')).toBeInTheDocument();
  });

  it('deletes the pipeline only after confirmation', async () => {
    const api = mockClickstreamApi();
    await renderCard(api);

    fireEvent.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Delete the pipeline of shop?'),
    ).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.deletePipeline).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Delete pipeline',
      }),
    );
    await waitFor(() =>
      expect(api.deletePipeline).toHaveBeenCalledWith('shop'),
    );
  });

  it('updates a deployed pipeline only after saying what that does', async () => {
    const api = mockClickstreamApi();
    await renderCard(api);

    fireEvent.click(await screen.findByRole('button', { name: 'Update' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'It applies the current configuration (version 1) and apps. The collector and processing restart with it',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.deployPipeline).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Update' }));
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Update pipeline',
      }),
    );
    await waitFor(() =>
      expect(api.deployPipeline).toHaveBeenCalledWith('shop'),
    );
  });

  it('offers an upgrade when the stacks run an older version, instead of an update', async () => {
    const api = mockClickstreamApi({
      getProject: jest.fn(async () => ({
        ...project,
        id: 'upgradable',
        target: {
          type: 'aws' as const,
          accountId: '123456789012',
          region: 'eu-west-1',
        },
      })),
      getPipeline: jest.fn(async () =>
        pipeline({
          projectId: 'upgradable',
          status: 'Warning',
          templateVersion: '1.0.0',
          upgradeTo: '1.1.0',
        }),
      ),
    });
    await renderCard(
      api,
      AuthorizeResult.ALLOW,
      projectEntityFor('upgradable'),
    );

    expect(await screen.findByText('Version')).toBeInTheDocument();
    expect(row('Version')).toHaveTextContent('1.0.0, upgrade available: 1.1.0');
    expect(
      screen.queryByRole('button', { name: 'Update' }),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Upgrade' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Upgrade the pipeline of upgradable to 1.1.0?Its stacks run version 1.0.0.',
    );
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Upgrade pipeline' }),
    );
    await waitFor(() =>
      expect(api.upgradePipeline).toHaveBeenCalledWith('upgradable'),
    );
    expect(api.deployPipeline).not.toHaveBeenCalled();
  });

  it('deploys a pipeline that is not deployed at once', async () => {
    const api = mockClickstreamApi({
      getPipeline: jest.fn(async () =>
        pipeline({ status: 'NotDeployed', stacks: [] }),
      ),
    });
    await renderCard(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Deploy' }));
    await waitFor(() =>
      expect(api.deployPipeline).toHaveBeenCalledWith('shop'),
    );
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('offers Retry for a failed pipeline and shows why it failed', async () => {
    const api = mockClickstreamApi({
      getPipeline: jest.fn(async () =>
        pipeline({
          status: 'Failed',
          execution: 'FAILED',
          lastError: 'the buffer directory is not writable',
        }),
      ),
    });
    await renderCard(api);

    expect(
      await screen.findByText('the buffer directory is not writable'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(api.retryPipeline).toHaveBeenCalledWith('shop'));
  });

  it('disables the actions for users who may not deploy', async () => {
    const api = mockClickstreamApi({
      getProject: jest.fn(async () => ({ ...project, id: 'readonly' })),
      getPipeline: jest.fn(async () =>
        pipeline({
          status: 'NotDeployed',
          stacks: [],
          outputs: { dashboards: [] },
        }),
      ),
    });
    // Another project: usePermission caches decisions by resource for the whole test file.
    await renderCard(api, AuthorizeResult.DENY, projectEntityFor('readonly'));

    expect(
      await screen.findByText(
        'You may view this pipeline; its owners can deploy or delete it.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeDisabled();
    expect(screen.getByText('Not deployed yet')).toBeInTheDocument();
  });

  it('shows progress while the pipeline loads', async () => {
    const api = mockClickstreamApi({
      getProject: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderCard(api);
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByText('Status')).not.toBeInTheDocument();
  });

  it('shows the backend error when the project cannot be read', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'You may not read project shop',
    );
    const api = mockClickstreamApi({
      getProject: jest.fn(async () => {
        throw error;
      }),
    });
    await renderCard(api);

    expect(await screen.findByText('403: NotAllowedError')).toBeInTheDocument();
  });
});
