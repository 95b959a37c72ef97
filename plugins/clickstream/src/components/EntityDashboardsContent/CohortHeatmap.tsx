import { RetentionCohort } from '@clickstream/backstage-plugin-clickstream-common';
import { alpha, makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatCount, formatPercent, shortDate } from './format';

/** The days after the first visit shown as columns: the first week, then weekly to day 42. */
const DAYS = [0, 1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 35, 42];

const useStyles = makeStyles(theme => ({
  wrapper: { overflowX: 'auto' },
  cell: {
    textAlign: 'center',
    padding: theme.spacing(0.75, 1),
    minWidth: 48,
    fontVariantNumeric: 'tabular-nums',
  },
}));

/** Retention cohorts as a heat map: one row per first-visit day, darker means more came back. */
export function CohortHeatmap({ cohorts }: { cohorts: RetentionCohort[] }) {
  const classes = useStyles();
  const theme = useTheme<Theme>();
  if (cohorts.length === 0) {
    return (
      <Typography color="textSecondary" variant="body2">
        No new users in this period.
      </Typography>
    );
  }
  const visible = DAYS.filter(d =>
    cohorts.some(c => c.days.some(x => x.day === d)),
  );
  return (
    <div className={classes.wrapper}>
      <Table size="small" aria-label="Retention cohorts">
        <TableHead>
          <TableRow>
            <TableCell>First visit</TableCell>
            <TableCell className={classes.cell}>Users</TableCell>
            {visible.map(d => (
              <TableCell key={d} className={classes.cell}>
                Day {d}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {cohorts.map(cohort => (
            <TableRow key={cohort.firstDate}>
              <TableCell>{shortDate(cohort.firstDate)}</TableCell>
              <TableCell className={classes.cell}>
                {formatCount(cohort.users)}
              </TableCell>
              {visible.map(d => {
                const cell = cohort.days.find(x => x.day === d);
                if (!cell)
                  return <TableCell key={d} className={classes.cell} />;
                const strong = cell.rate > 0.55;
                return (
                  <TableCell
                    key={d}
                    className={classes.cell}
                    title={`${formatCount(cell.users)} of ${formatCount(
                      cohort.users,
                    )} users`}
                    style={{
                      background: alpha(
                        theme.palette.primary.main,
                        0.08 + 0.85 * cell.rate,
                      ),
                      color: strong
                        ? theme.palette.primary.contrastText
                        : theme.palette.text.primary,
                    }}
                  >
                    {formatPercent(cell.rate)}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
