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
import { mockClickstreamApi, pipeline } from '../../testing/fixtures';
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
      ]}
    >
      <Routes>
        <Route
          path="/clickstream/projects/:projectId"
          element={<ProjectPage />}
        />
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
  });
});
