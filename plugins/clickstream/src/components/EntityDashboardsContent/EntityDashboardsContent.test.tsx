import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  MetricSheet,
  MetricsResponse,
  OverviewSheet,
  SheetData,
  RetentionSheet,
} from '@clickstream/backstage-plugin-clickstream-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation, useNavigate } from 'react-router-dom';
import { ClickstreamApi, clickstreamApiRef } from '../../api';
import {
  mockClickstreamApi,
  projectEntity,
  responseError,
} from '../../testing/fixtures';
import { EntityDashboardsContent } from './EntityDashboardsContent';
import { datesLabel, rangeDates } from './dateRanges';
import { daysBefore, todayIn } from './format';

/** Where the app is, and a way back, as the browser's address bar and Back button give them. */
function AddressBar() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output aria-label="Address">{location.search}</output>
      <button onClick={() => navigate(-1)}>Back</button>
    </>
  );
}

function renderDashboards(api: ClickstreamApi, url = '/dashboards') {
  return renderInTestApp(
    <TestApiProvider apis={[[clickstreamApiRef, api]]}>
      <EntityProvider entity={projectEntity}>
        <EntityDashboardsContent />
        <AddressBar />
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: [url] },
  );
}

const address = () =>
  Object.fromEntries(
    new URLSearchParams(screen.getByLabelText('Address').textContent!),
  );

const response = (sheet: string, data: unknown): MetricsResponse => ({
  sheet: sheet as MetricSheet,
  appId: 'web',
  from: '2026-11-26',
  to: '2026-12-02',
  timezone: 'Asia/Tokyo',
  platform: null,
  data: data as SheetData[MetricSheet],
});

const overview: OverviewSheet = {
  kpis: {
    activeUsers: 1234,
    newUsers: 987,
    sessions: 2345,
    engagedSessions: 1500,
    engagementRate: 0.6397,
    avgEngagementTimePerSessionSeconds: 61,
    avgEngagementTimePerUserSeconds: 125,
    views: 8765,
    events: 20000,
  },
  daily: [
    {
      date: '2026-12-01',
      activeUsers: 600,
      newUsers: 500,
      sessions: 1200,
      views: 4000,
      events: 9000,
    },
    {
      date: '2026-12-02',
      activeUsers: 700,
      newUsers: 487,
      sessions: 1145,
      views: 4765,
      events: 11000,
    },
  ],
  platforms: [{ value: 'Web', users: 1234 }],
};

const retention: RetentionSheet = {
  newVsReturning: [{ date: '2026-12-01', newUsers: 10, returningUsers: 5 }],
  cohorts: [
    {
      firstDate: '2026-12-01',
      users: 10,
      days: [
        { day: 0, users: 10, rate: 1 },
        { day: 1, users: 4, rate: 0.4 },
      ],
    },
  ],
  stickiness: [
    {
      date: '2026-12-01',
      dau: 15,
      wau: 30,
      mau: 60,
      dauWau: 0.5,
      dauMau: 0.25,
      wauMau: 0.5,
    },
  ],
  lifecycle: [
    {
      week: '2026-11-30',
      new: 10,
      retained: 2,
      returning: 3,
      churned: 1,
      partial: false,
    },
  ],
};

const kpi = (label: string) =>
  within(screen.getByRole('group', { name: label })).getByTestId('kpi-value')
    .textContent;

describe('<EntityDashboardsContent />', () => {
  it("shows the overview's headline numbers for the last 7 days in the app's time zone", async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet) =>
        response(sheet, overview),
      ) as any,
    });
    await renderDashboards(api);

    await screen.findByRole('group', { name: 'Active users' });
    expect(kpi('Active users')).toBe('1,234');
    expect(kpi('New users')).toBe('987');
    expect(kpi('Sessions')).toBe('2,345');
    expect(kpi('Engagement rate')).toBe('64%');
    expect(kpi('Engagement time per user')).toBe('2m 05s');
    expect(kpi('Views')).toBe('8,765');

    const today = todayIn('Asia/Tokyo');
    const [projectId, appId, sheet, query] = api.getMetrics.mock.calls[0];
    expect([projectId, appId, sheet]).toEqual(['shop', 'web', 'overview']);
    expect(query).toMatchObject({ to: today, timezone: 'Asia/Tokyo' });
    expect((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000).toBe(
      6,
    );
  });

  it('asks the API again for another sheet, platform or time zone', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet) =>
        response(sheet, sheet === 'retention' ? retention : overview),
      ) as any,
    });
    await renderDashboards(api);
    await screen.findByRole('group', { name: 'Active users' });

    fireEvent.click(screen.getByRole('tab', { name: 'Retention' }));
    const heatmap = await screen.findByRole('table', {
      name: 'Retention cohorts',
    });
    expect(within(heatmap).getByText('40%')).toBeInTheDocument();
    expect(kpi('DAU / MAU')).toBe('25%');

    fireEvent.change(
      screen.getByLabelText('Time zone', { selector: 'input' }),
      {
        target: { value: 'Europe/Paris' },
      },
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(
        'shop',
        'web',
        'retention',
        expect.objectContaining({ timezone: 'Europe/Paris' }),
      ),
    );
  });

  it('keeps the last view while a time zone or date is wrong, saying what is wrong in plain words', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet) =>
        response(sheet, overview),
      ) as any,
    });
    await renderDashboards(api);
    await screen.findByRole('group', { name: 'Active users' });
    const calls = api.getMetrics.mock.calls.length;

    fireEvent.change(
      screen.getByLabelText('Time zone', { selector: 'input' }),
      {
        target: { value: 'Mars/Olympus' },
      },
    );
    expect(
      await screen.findByText(
        '"Mars/Olympus" is not a time zone we know: use a name like Europe/Paris or America/New_York',
      ),
    ).toBeInTheDocument();
    // The sheet stays as it was, and nothing is asked of the API.
    expect(kpi('Active users')).toBe('1,234');
    expect(api.getMetrics).toHaveBeenCalledTimes(calls);

    fireEvent.change(
      screen.getByLabelText('Time zone', { selector: 'input' }),
      {
        target: { value: 'Europe/Paris' },
      },
    );
    fireEvent.mouseDown(screen.getByLabelText('Date range'));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Custom range' }),
    );
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-12-05' },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-12-01' },
    });
    expect(
      await screen.findByText('The end date is before the start date'),
    ).toBeInTheDocument();
    // The last answerable range (from the 5th) stays on screen.
    await screen.findByRole('group', { name: 'Active users' });
    expect(kpi('Active users')).toBe('1,234');
    expect(api.getMetrics).not.toHaveBeenLastCalledWith(
      'shop',
      'web',
      'overview',
      expect.objectContaining({ from: '2026-12-05', to: '2026-12-01' }),
    );
  });

  it('compares each key metric with the period before, of the same length', async () => {
    const today = todayIn('Asia/Tokyo');
    const before = { from: daysBefore(today, 13), to: daysBefore(today, 7) };
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet, query) =>
        response(
          sheet,
          query.from === before.from
            ? {
                ...overview,
                kpis: {
                  ...overview.kpis,
                  activeUsers: 1000,
                  views: 10000,
                  sessions: 0,
                },
              }
            : overview,
        ),
      ) as any,
    });
    await renderDashboards(api);
    await screen.findByRole('group', { name: 'Active users' });
    const change = (label: string) =>
      within(screen.getByRole('group', { name: label })).queryByTestId(
        'kpi-change',
      )?.textContent;
    await waitFor(() => expect(change('Active users')).toBeDefined());
    const dates = datesLabel(before.from, before.to);
    // 1,234 against 1,000 and 8,765 against 10,000; no sessions before: nothing to compare.
    expect(change('Active users')).toBe(`▲ 23.4% vs ${dates}`);
    expect(change('Views')).toBe(`▼ 12.4% vs ${dates}`);
    expect(change('New users')).toBe(`= 0% vs ${dates}`);
    expect(change('Sessions')).toBeUndefined();
    expect(api.getMetrics).toHaveBeenCalledWith(
      'shop',
      'web',
      'overview',
      expect.objectContaining({ ...before, timezone: 'Asia/Tokyo' }),
    );
  });

  it('opens the view a link describes, and falls back to the defaults for what it cannot answer', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet) =>
        response(sheet, sheet === 'retention' ? retention : overview),
      ) as any,
    });
    await renderDashboards(
      api,
      '/dashboards?sheet=retention&app=web&range=28d&tz=Europe%2FParis&platform=Android',
    );
    await screen.findByRole('table', { name: 'Retention cohorts' });
    expect(screen.getByRole('tab', { name: 'Retention' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    const today = todayIn('Europe/Paris');
    expect(api.getMetrics).toHaveBeenLastCalledWith(
      'shop',
      'web',
      'retention',
      {
        from: daysBefore(today, 27),
        to: today,
        timezone: 'Europe/Paris',
        platform: 'Android',
      },
    );
    expect(screen.getByLabelText('Date range')).toHaveTextContent(
      'Last 28 days',
    );
    expect(
      screen.getByLabelText('Time zone', { selector: 'input' }),
    ).toHaveValue('Europe/Paris');

    // A mistyped time zone and an unknown sheet: the app's time zone and the overview.
    api.getMetrics.mockClear();
    await renderDashboards(api, '/dashboards?sheet=funnels&tz=Mars%2FOlympus');
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenCalledWith(
        'shop',
        'web',
        'overview',
        expect.objectContaining({ timezone: 'Asia/Tokyo' }),
      ),
    );
  });

  it('puts each choice in the URL, and Back returns to the view before', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet) =>
        response(sheet, sheet === 'retention' ? retention : overview),
      ) as any,
    });
    await renderDashboards(api);
    await screen.findByRole('group', { name: 'Active users' });

    fireEvent.click(screen.getByRole('tab', { name: 'Retention' }));
    await screen.findByRole('table', { name: 'Retention cohorts' });
    expect(address()).toEqual({
      sheet: 'retention',
      app: 'web',
      range: '7d',
      tz: 'Asia/Tokyo',
    });

    // Presets show their dates, and the URL keeps the preset, not the dates: a shared link
    // stays "last month".
    const today = todayIn('Asia/Tokyo');
    const lastMonth = rangeDates('lastMonth', today);
    fireEvent.mouseDown(screen.getByLabelText('Date range'));
    fireEvent.click(
      await screen.findByRole('option', { name: /^Last month / }),
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(
        'shop',
        'web',
        'retention',
        expect.objectContaining(lastMonth),
      ),
    );
    expect(address()).toMatchObject({ sheet: 'retention', range: 'lastMonth' });
    expect(address()).not.toHaveProperty('from');

    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(address()).toMatchObject({ range: '7d' }));
    expect(screen.getByLabelText('Date range')).toHaveTextContent(
      'Last 7 days',
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith(
        'shop',
        'web',
        'retention',
        expect.objectContaining({ from: daysBefore(today, 6), to: today }),
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() =>
      expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute(
        'aria-selected',
        'true',
      ),
    );
  });

  it('shows progress until the sheet arrives', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderDashboards(api);
    expect(
      await screen.findByRole('tab', { name: 'Overview' }),
    ).toBeInTheDocument();
    // Backstage's Progress appears after a short delay, so that fast answers do not flash.
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('says when there is no data in the period', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet) =>
        response(sheet, { ...overview, kpis: { ...overview.kpis, events: 0 } }),
      ) as any,
    });
    await renderDashboards(api);
    expect(
      await screen.findByText('No events in this period'),
    ).toBeInTheDocument();
  });

  it('says what each sheet is missing when its period is empty', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn(async (_p, _a, sheet) =>
        response(
          sheet,
          sheet === 'retention'
            ? {
                ...retention,
                newVsReturning: [
                  { date: '2026-12-01', newUsers: 0, returningUsers: 0 },
                ],
              }
            : overview,
        ),
      ) as any,
    });
    await renderDashboards(api);
    await screen.findByRole('group', { name: 'Active users' });
    fireEvent.click(screen.getByRole('tab', { name: 'Retention' }));
    expect(
      await screen.findByText('No active users in this period'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Retention follows users from their first visit/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Retention cohorts' }),
    ).not.toBeInTheDocument();
  });

  it('says why when the pipeline is not running', async () => {
    const error = await responseError(
      409,
      'ConflictError',
      "project shop's pipeline is not running (NotDeployed)",
    );

    const api = mockClickstreamApi({
      getMetrics: jest.fn(async () => {
        throw error;
      }),
    });
    await renderDashboards(api);
    expect(
      await screen.findByText('The dashboards need a running pipeline'),
    ).toBeInTheDocument();
    expect(
      screen.getByText("project shop's pipeline is not running (NotDeployed)"),
    ).toBeInTheDocument();
  });
});
