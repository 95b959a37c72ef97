import { StatusOK, StatusPending } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  App,
  ProjectTargetType,
} from '@clickstream/backstage-plugin-clickstream-common';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useInterval from 'react-use/esm/useInterval';
import { clickstreamApiRef } from '../../api';
import { rangeDates } from '../EntityDashboardsContent/dateRanges';
import { formatCount, todayIn } from '../EntityDashboardsContent/format';

/**
 * How often the card looks again while no event has arrived: on AWS each look is a Redshift
 * query, and events arrive there with the scheduled loads, so it looks less often.
 */
const WAIT_POLL_MS = { local: 10_000, aws: 60_000 };

/**
 * "Waiting for the first event…" until the app's events show in its metrics (the last 12
 * months, bots included), then a green check. It stops asking once they do: only a new app waits.
 */
export function FirstEventCheck(props: {
  projectId: string;
  app: App;
  target: ProjectTargetType;
  pollMs?: number;
}) {
  const { projectId, app, target } = props;
  const pollMs = props.pollMs ?? WAIT_POLL_MS[target];
  const api = useApi(clickstreamApiRef);
  const [events, setEvents] = useState<number>();
  const [tick, setTick] = useState(0);
  useInterval(() => setTick(t => t + 1), events ? null : pollMs);
  const timezone = app.timezone ?? 'UTC';
  const { error } = useAsync(async () => {
    if (events) return;
    const range = rangeDates('12m', todayIn(timezone));
    // Bots included: a first test from a script or a headless browser counts too.
    const { data } = await api.getMetrics(projectId, app.appId, 'overview', {
      ...range,
      timezone,
      includeBots: 'true',
    });
    if (data.kpis.events > 0) setEvents(data.kpis.events);
  }, [api, projectId, app.appId, timezone, tick]);

  if (events) {
    return (
      <Typography variant="body2" role="status">
        <StatusOK>
          Receiving events: {formatCount(events)} in the last 12 months
        </StatusOK>
      </Typography>
    );
  }
  // The metrics cannot be read (the pipeline stopped, say): its card says why.
  if (error) return null;
  return (
    <Typography variant="body2" role="status">
      <StatusPending>
        Waiting for the first event from this app. It shows here once the
        pipeline has processed it.
      </StatusPending>
    </Typography>
  );
}
