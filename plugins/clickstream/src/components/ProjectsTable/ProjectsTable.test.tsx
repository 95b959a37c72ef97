import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { ClickstreamApi, clickstreamApiRef, ProjectSummary } from '../../api';
import { rootRouteRef } from '../../routes';
import { mockClickstreamApi } from '../../testing/fixtures';
import { ProjectsTable } from './ProjectsTable';

const project = (overrides: Partial<ProjectSummary>): ProjectSummary => ({
  id: 'shop',
  name: 'Shop',
  description: '',
  owner: 'group:default/analytics-team',
  environment: 'Prod',
  target: { type: 'local' },
  notificationEmails: [],
  createdBy: 'user:default/ada',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  version: 1,
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
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'you are not allowed' },
            request: { method: 'GET', url: '/projects' },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'Content-Type': 'application/json' } },
        ) as any,
      );
    });
    expect(
      (await screen.findAllByText(/you are not allowed/)).length,
    ).toBeGreaterThan(0);
  });
});
