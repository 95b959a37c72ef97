import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { ClickstreamApi, clickstreamApiRef } from '../../api';
import { createProjectRouteRef, rootRouteRef } from '../../routes';
import { ClickstreamPage } from './ClickstreamPage';

const noProjects = async () => ({
  items: [],
  totalCount: 0,
  limit: 500,
  offset: 0,
});

function renderPage(api: Partial<ClickstreamApi>) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          clickstreamApiRef,
          { listProjects: noProjects, ...api } as ClickstreamApi,
        ],
      ]}
    >
      <ClickstreamPage />
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/create': createProjectRouteRef,
        '/clickstream': rootRouteRef,
      },
    },
  );
}

describe('<ClickstreamPage />', () => {
  it('shows the connected backend and a way to create a project', async () => {
    await renderPage({
      getHealth: async () => ({ status: 'ok', principal: 'user:default/ada' }),
    });

    expect(screen.getByText('Clickstream')).toBeInTheDocument();
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    expect(
      screen.getByText('Signed in as user:default/ada'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No clickstream projects yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('Create a project').closest('a')).toHaveAttribute(
      'href',
      '/create',
    );
  });

  it('says the backend is not reachable, with the error, and checks again on request', async () => {
    const getHealth = jest
      .fn<ReturnType<ClickstreamApi['getHealth']>, []>()
      .mockRejectedValueOnce(
        await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'AuthenticationError',
                message: 'Missing credentials',
              },
              request: { method: 'GET', url: '/api/clickstream/health' },
              response: { statusCode: 401 },
            }),
            { status: 401, headers: { 'Content-Type': 'application/json' } },
          ) as any,
        ),
      )
      .mockResolvedValue({ status: 'ok', principal: 'user:default/ada' });

    await renderPage({ getHealth });

    expect(await screen.findByText('Not reachable')).toBeInTheDocument();
    expect(screen.getAllByText(/Missing credentials/).length).toBeGreaterThan(
      0,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Check again' }));
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    expect(getHealth).toHaveBeenCalledTimes(2);
  });
});
