import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { ProjectSummary } from '@clickstream/backstage-plugin-clickstream-common';
import { clickstreamApiRef } from '../../api';
import { formatCount, todayIn } from '../EntityDashboardsContent/format';

/** "2 apps, 1,234 events today": each app's today is in its own time zone. */
export const ProjectActivity = ({ project }: { project: ProjectSummary }) => {
  const api = useApi(clickstreamApiRef);
  const { value, error } = useAsync(async () => {
    const apps = (await api.listApps(project.id)).items;
    if (project.status !== 'Active' || project.target.type !== 'local') {
      return { apps: apps.length, events: undefined };
    }
    const counts = await Promise.all(
      apps.map(async app => {
        const timezone = app.timezone ?? 'UTC';
        const today = todayIn(timezone);
        const { data } = await api.getMetrics(
          project.id,
          app.appId,
          'overview',
          { from: today, to: today, timezone },
        );
        return data.kpis.events;
      }),
    );
    return { apps: apps.length, events: counts.reduce((a, b) => a + b, 0) };
  }, [api, project.id, project.status]);

  if (error) {
    return (
      <Typography variant="body2" color="textSecondary" title={String(error)}>
        unavailable
      </Typography>
    );
  }
  if (!value) return null;
  const apps = `${value.apps} app${value.apps === 1 ? '' : 's'}`;
  return (
    <Typography variant="body2">
      {value.events === undefined
        ? apps
        : `${apps}, ${formatCount(value.events)} events today`}
    </Typography>
  );
};
