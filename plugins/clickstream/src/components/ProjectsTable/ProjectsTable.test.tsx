import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ProjectSummary } from '@clickstream/backstage-plugin-clickstream-common';
import { ClickstreamApi, clickstreamApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  mockClickstreamApi,
  project as shopProject,
  responseError,
} from '../../testing/fixtures';
import { ProjectsTable } from './ProjectsTable';

const project = (overrides: Partial<ProjectSummary>): ProjectSummary => ({
  ...shopProject,
  status: 'Active',
  ...overrides,
});

function renderTable(listProjects: ClickstreamApi['listProjects']) {
  const api = mockClickstreamApi({
    listProjects,
    getMetrics: jest.fn(async () => ({
      data: { kpis: { events: 1234 } },
    })) as any,
  });
  return renderInTestApp(
    <TestApiProvider apis={[[clickstreamApiRef, api]]}>
      <ProjectsTable />
    </TestApiProvider>,
    { mountedRoutes: { '/clickstream': rootRouteRef } },
  );
}

describe('<ProjectsTable />', () => {
  it('lists the projects with their target and pipeline status', async () => {
    await renderTable(async () => ({
      items: [
        project({}),
        project({
          id: 'web',
          name: 'Web',
          target: {
            type: 'aws',
            accountId: '123456789012',
            region: 'eu-west-1',
          },
          status: 'Failed',
        }),
      ],
      totalCount: 2,
      limit: 500,
      offset: 0,
    }));

    expect(await screen.findByText('Projects (2)')).toBeInTheDocument();
    const shop = screen.getByText('shop').closest('tr')!;
    expect(within(shop).getByText('Embedded')).toBeInTheDocument();
    expect(within(shop).getByText('Active')).toBeInTheDocument();
    const web = screen.getByText('web').closest('tr')!;
    expect(within(web).getByText('AWS eu-west-1')).toBeInTheDocument();
    expect(within(web).getByText('Failed')).toBeInTheDocument();

    // Each id opens the project's page; activity counts today's events of running local projects.
    expect(within(shop).getByRole('link', { name: 'shop' })).toHaveAttribute(
      'href',
      '/clickstream/projects/shop',
    );
    expect(
      await within(shop).findByText('1 app, 1,234 events today'),
    ).toBeInTheDocument();
    expect(await within(web).findByText('1 app')).toBeInTheDocument();
  });

  it('says so when there are no projects', async () => {
    await renderTable(async () => ({
      items: [],
      totalCount: 0,
      limit: 500,
      offset: 0,
    }));
    expect(
      await screen.findByText('No clickstream projects yet'),
    ).toBeInTheDocument();
  });

  it('shows the backend error when the list fails', async () => {
    await renderTable(async () => {
      throw await responseError(403, 'NotAllowedError', 'you are not allowed');
    });
    expect(
      (await screen.findAllByText(/you are not allowed/)).length,
    ).toBeGreaterThan(0);
  });
});
