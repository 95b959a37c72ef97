import {
  Link,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { HealthCheck } from '@clickstream/backstage-plugin-clickstream-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

const STATE_ICONS = {
  OK: StatusOK,
  ALARM: StatusError,
  INSUFFICIENT_DATA: StatusPending,
} as const;

const STATE_WORDS = {
  OK: 'OK',
  ALARM: 'In alarm',
  INSUFFICIENT_DATA: 'Not enough data',
} as const;

/** Read by screen readers, not shown. */
const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/**
 * What watches the pipeline, alarms first: each check's state, what it watches (a link to the
 * alarm where there is one) and, unless it is OK, why.
 */
export function HealthChecks(props: { checks: HealthCheck[]; error?: string }) {
  const { checks, error } = props;
  if (error) {
    return (
      <Typography variant="body2" color="textSecondary">
        The alarms cannot be read now: {error}
      </Typography>
    );
  }
  const order = { ALARM: 0, INSUFFICIENT_DATA: 1, OK: 2 };
  const sorted = [...checks].sort((a, b) => order[a.state] - order[b.state]);
  const alarms = checks.filter(c => c.state === 'ALARM').length;
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        {alarms === 0
          ? `All ${checks.length} checks OK`
          : `${alarms} of ${checks.length} checks in alarm`}
      </Typography>
      {sorted.map(check => {
        const Icon = STATE_ICONS[check.state];
        return (
          <Box key={check.name} mb={0.5}>
            {/* The status components hide their children from screen readers: the name
                (and its link) stands beside the icon, the state in words for them. */}
            <Box display="flex" alignItems="center">
              <Icon />
              <span title={STATE_WORDS[check.state]}>
                {check.url ? (
                  <Link to={check.url}>{check.name}</Link>
                ) : (
                  check.name
                )}
              </span>
              <span style={visuallyHidden}>: {STATE_WORDS[check.state]}</span>
            </Box>
            {check.state !== 'OK' && check.reason && (
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
                style={{ marginLeft: 20 }}
              >
                {check.reason}
              </Typography>
            )}
          </Box>
        );
      })}
    </Box>
  );
}
