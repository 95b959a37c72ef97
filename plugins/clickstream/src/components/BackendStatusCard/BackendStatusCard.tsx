import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useBackendHealth } from '../../hooks/useBackendHealth';

/** Shows whether the clickstream backend answers this user, with a way to check again. */
export const BackendStatusCard = () => {
  const { value, loading, error, retry } = useBackendHealth();

  const action = (
    <Button size="small" color="primary" onClick={retry} disabled={loading}>
      Check again
    </Button>
  );

  if (loading) {
    return (
      <InfoCard title="Clickstream backend">
        <Progress />
      </InfoCard>
    );
  }
  if (error || !value) {
    return (
      <InfoCard title="Clickstream backend" actions={action}>
        <Typography paragraph>
          <StatusError>Not reachable</StatusError>
        </Typography>
        {error && <ResponseErrorPanel error={error} />}
      </InfoCard>
    );
  }
  return (
    <InfoCard title="Clickstream backend" actions={action}>
      <Typography>
        <StatusOK>Connected</StatusOK>
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Signed in as {value.principal}
      </Typography>
    </InfoCard>
  );
};
