import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { clickstreamApiRef } from '../../api';
import { app, mockClickstreamApi } from '../../testing/fixtures';
import { rangeDates } from '../EntityDashboardsContent/dateRanges';
import { todayIn } from '../EntityDashboardsContent/format';
import { FirstEventCheck } from './FirstEventCheck';

const overviewWith = (events: number) => ({ data: { kpis: { events } } });

describe('<FirstEventCheck />', () => {
  it('waits for the first event, turns green when it is counted, then stops asking', async () => {
    // No events at first; the next looks get theirs once the test lets the first one arrive.
    let arrive = () => {};
    const arrived = new Promise<void>(resolve => {
      arrive = resolve;
    });
    const getMetrics = jest
      .fn()
      .mockResolvedValueOnce(overviewWith(0))
      .mockImplementation(async () => {
        await arrived;
        return overviewWith(1234);
      });
    const api = mockClickstreamApi({ getMetrics });
    await renderInTestApp(
      <TestApiProvider apis={[[clickstreamApiRef, api]]}>
        <FirstEventCheck
          projectId="shop"
          app={app()}
          target="local"
          pollMs={20}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/Waiting for the first event from this app/),
    ).toBeInTheDocument();
    // It looks again while it waits.
    await waitFor(() =>
      expect(getMetrics.mock.calls.length).toBeGreaterThan(1),
    );
    arrive();
    expect(
      await screen.findByText('Receiving events: 1,234 in the last 12 months'),
    ).toBeInTheDocument();
    // The app's overview over the last 12 months, in its time zone, bots included.
    expect(getMetrics).toHaveBeenCalledWith('shop', 'web', 'overview', {
      ...rangeDates('12m', todayIn('Asia/Tokyo')),
      timezone: 'Asia/Tokyo',
      includeBots: 'true',
    });
    const calls = getMetrics.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(getMetrics).toHaveBeenCalledTimes(calls);
  });

  it('says nothing when the metrics cannot be read', async () => {
    const api = mockClickstreamApi({
      getMetrics: jest.fn().mockRejectedValue(new Error('not running')),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[clickstreamApiRef, api]]}>
        <FirstEventCheck
          projectId="shop"
          app={app()}
          target="local"
          pollMs={20}
        />
      </TestApiProvider>,
    );
    await waitFor(() => expect(api.getMetrics).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('status')).not.toBeInTheDocument(),
    );
  });
});
