import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { defaultPipelineConfig } from '@clickstream/backstage-plugin-clickstream-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { ClickstreamApi, clickstreamApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  mockClickstreamApi,
  pipeline,
  responseError,
} from '../../testing/fixtures';
import { ProjectPage } from './ProjectPage';

function renderPage(
  api: ClickstreamApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  projectId = 'shop',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [clickstreamApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/ada',
            ownershipEntityRefs: [
              'user:default/ada',
              'group:default/data-team',
            ],
          }),
        ],
      ]}
    >
      <Routes>
        <Route
          path="/clickstream/projects/:projectId"
          element={<ProjectPage />}
        />
        <Route path="/clickstream" element={<h1>All projects</h1>} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [`/clickstream/projects/${projectId}`],
      mountedRoutes: {
        '/clickstream': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const withConfig = () =>
  mockClickstreamApi({
    getPipeline: jest.fn(async () =>
      pipeline({ config: defaultPipelineConfig('local'), version: 3 }),
    ),
  });

describe('<ProjectPage />', () => {
  it('registers an app after checking it with the API schema', async () => {
    const api = withConfig();
    await renderPage(api);

    expect(await screen.findByText('Apps (1)')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'Open in the catalog, with its dashboards',
      }),
    ).toHaveAttribute('href', '/catalog/default/resource/shop');

    fireEvent.click(screen.getByRole('button', { name: 'Register an app' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/App id/), {
      target: { value: '1-bad' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Register' }));
    expect(
      await within(dialog).findByText(
        'app id must start with a letter and contain only letters, digits and underscores (at most 127 characters)',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('name must not be empty'),
    ).toBeInTheDocument();
    expect(api.createApp).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByLabelText(/App id/), {
      target: { value: 'ios_app' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Name/), {
      target: { value: 'iOS app' },
    });
    fireEvent.click(within(dialog).getByLabelText('iOS'));
    fireEvent.change(within(dialog).getByLabelText('Time zone'), {
      target: { value: 'Europe/Paris' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Register' }));
    await waitFor(() =>
      expect(api.createApp).toHaveBeenCalledWith('shop', {
        appId: 'ios_app',
        name: 'iOS app',
        platforms: ['Web', 'iOS'],
        timezone: 'Europe/Paris',
        corsOrigins: [],
      }),
    );
  });

  it('edits the pipeline configuration, refusing what the API would refuse', async () => {
    const api = withConfig();
    await renderPage(api);

    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('tab', { name: 'JSON' }));
    const editor = within(dialog).getByLabelText('Configuration (JSON)');
    const save = within(dialog).getByRole('button', { name: 'Save' });
    const config = defaultPipelineConfig('local');

    fireEvent.change(editor, { target: { value: '{ "ingestion": ' } });
    expect(
      within(dialog).getByText(/^the configuration is not valid JSON/),
    ).toBeInTheDocument();
    expect(save).toBeDisabled();

    fireEvent.change(editor, {
      target: {
        value: JSON.stringify({
          ...config,
          ingestion: { ...config.ingestion, sink: { type: 'kinesis' } },
        }),
      },
    });
    expect(
      within(dialog).getByText(
        "ingestion.sink.type must be 'local' for a local project (got 'kinesis')",
      ),
    ).toBeInTheDocument();
    expect(save).toBeDisabled();

    const changed = {
      ...config,
      processing: { ...config.processing, dataFreshnessHours: 24 },
    };
    fireEvent.change(editor, { target: { value: JSON.stringify(changed) } });
    expect(save).toBeEnabled();
    fireEvent.click(save);
    await waitFor(() =>
      expect(api.updatePipelineConfig).toHaveBeenCalledWith('shop', changed, 3),
    );
  });

  it('keeps the forms closed to users who may not change the project', async () => {
    const api = withConfig();
    // Another project: usePermission caches decisions by resource for the whole test file.
    await renderPage(api, AuthorizeResult.DENY, 'readonly');

    expect(await screen.findByText('Apps (1)')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled(),
    );
    expect(
      screen.getByRole('button', { name: 'Register an app' }),
    ).toBeDisabled();
    for (const name of [
      'Project settings',
      'Delete project',
      'Edit app web',
      'Disable app web',
      'Delete app web',
    ]) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
  });

  it("edits an app's origins, refusing an origin the API would refuse, and sends only what changed", async () => {
    const api = withConfig();
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit app web' }),
    );
    const dialog = await screen.findByRole('dialog');
    const save = within(dialog).getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled(); // nothing changed yet
    expect(within(dialog).getByLabelText('Time zone')).toBeDisabled();

    const origins = within(dialog).getByLabelText('Allowed web origins');
    fireEvent.change(origins, {
      target: { value: 'https://shop.example.com/cart' },
    });
    expect(
      within(dialog).getByText(
        'corsOrigins must be origins like https://shop.example.com or https://*.example.com (no path)',
      ),
    ).toBeInTheDocument();
    expect(save).toBeDisabled();

    fireEvent.change(origins, {
      target: { value: 'https://shop.example.com\nhttps://*.example.org' },
    });
    fireEvent.click(save);
    await waitFor(() =>
      expect(api.updateApp).toHaveBeenCalledWith('shop', 'web', {
        version: 1,
        corsOrigins: ['https://shop.example.com', 'https://*.example.org'],
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('sends the version its own last change produced, before the page has read it back', async () => {
    const api = withConfig();
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit app web' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Allowed web origins'), {
      target: { value: 'https://shop.example.com' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    // The list still reads version 1 (the mock never changes); the edit answered version 2.
    fireEvent.click(screen.getByRole('button', { name: 'Disable app web' }));
    await waitFor(() =>
      expect(api.updateApp).toHaveBeenLastCalledWith('shop', 'web', {
        enabled: false,
        version: 2,
      }),
    );
  });

  it('shows why the backend refused an edit and keeps the dialog open', async () => {
    const api = withConfig();
    api.updateApp.mockRejectedValueOnce(
      await responseError(
        409,
        'ConflictError',
        "app 'web' was changed by someone else (version 2, not 1): reload it",
      ),
    );
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit app web' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Name/), {
      target: { value: 'Web storefront' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      "app 'web' was changed by someone else",
    );
  });

  it('disables and deletes an app', async () => {
    const api = withConfig();
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Disable app web' }),
    );
    await waitFor(() =>
      expect(api.updateApp).toHaveBeenCalledWith('shop', 'web', {
        enabled: false,
        version: 1,
      }),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Delete app web' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'The collector refuses events sent with appId web from now on',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete app' }));
    await waitFor(() =>
      expect(api.deleteApp).toHaveBeenCalledWith('shop', 'web'),
    );
  });

  it("hands the project to one of the user's groups", async () => {
    const api = withConfig();
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Project settings' }),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Owner/), {
      target: { value: 'team-a' },
    });
    expect(
      within(dialog).getByText(
        'owner must be a user or group entity reference, like group:default/analytics-team',
      ),
    ).toBeInTheDocument();
    fireEvent.click(await within(dialog).findByText('group:default/data-team'));
    expect(within(dialog).getByLabelText(/Owner/)).toHaveValue(
      'group:default/data-team',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateProject).toHaveBeenCalledWith('shop', {
        version: 1,
        owner: 'group:default/data-team',
      }),
    );
  });

  it('deletes a project whose pipeline is not deployed once its id is typed, then shows all projects', async () => {
    const api = mockClickstreamApi({
      getPipeline: jest.fn(async () =>
        pipeline({
          status: 'NotDeployed',
          config: defaultPipelineConfig('local'),
        }),
      ),
    });
    await renderPage(api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Delete project' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      "The project, its app and its pipeline's history are deleted. Its pipeline is not deployed",
    );
    const confirm = within(dialog).getByRole('button', {
      name: 'Delete project',
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Type shop to confirm'), {
      target: { value: 'sho' },
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Type shop to confirm'), {
      target: { value: 'shop' },
    });
    fireEvent.click(confirm);
    expect(
      await screen.findByRole('heading', { name: 'All projects' }),
    ).toBeInTheDocument();
    expect(api.deletePipeline).not.toHaveBeenCalled();
    expect(api.deleteProject).toHaveBeenCalledWith('shop');
  });
});
