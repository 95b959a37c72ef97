import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import { makeStyles, Theme, useTheme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatCount, formatPercent, shortDate } from './format';

/** Series colours taken from the Backstage theme, so charts follow light and dark mode. */
export function useSeriesColors(): string[] {
  const theme = useTheme<Theme>();
  const p = theme.palette;
  return [
    p.primary.main,
    p.secondary.main,
    p.success.main,
    p.warning.main,
    p.info.main,
    p.error.main,
  ];
}

function useChartStyle() {
  const theme = useTheme<Theme>();
  return {
    axis: { fill: theme.palette.text.secondary, fontSize: 12 },
    grid: theme.palette.divider,
    tooltip: {
      contentStyle: {
        background: theme.palette.background.paper,
        border: `1px solid ${theme.palette.divider}`,
        color: theme.palette.text.primary,
      },
      labelStyle: { color: theme.palette.text.primary },
    },
  };
}

const useKpiStyles = makeStyles(theme => ({
  tile: { padding: theme.spacing(2), height: '100%' },
  value: { fontWeight: 600 },
  up: { color: theme.palette.success.main },
  down: { color: theme.palette.error.main },
}));

export interface Kpi {
  label: string;
  value: string;
  hint?: string;
  /** The relative change from the period before (0.1 is 10 % more), and that period's dates. */
  change?: number;
  comparedWith?: string;
}

/** "▲ 12.5% vs Nov 19 – Nov 25", coloured by its direction. */
function KpiChange(props: { change: number; comparedWith: string }) {
  const { change, comparedWith } = props;
  const classes = useKpiStyles();
  let [arrow, className] = ['=', ''];
  if (change > 0) [arrow, className] = ['▲', classes.up];
  if (change < 0) [arrow, className] = ['▼', classes.down];
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="p"
      data-testid="kpi-change"
    >
      <span className={className}>
        {arrow} {formatPercent(Math.abs(change))}
      </span>{' '}
      vs {comparedWith}
    </Typography>
  );
}

/** The headline numbers of a sheet, as tiles. */
export function KpiTiles({ kpis }: { kpis: Kpi[] }) {
  const classes = useKpiStyles();
  return (
    <Grid container spacing={2}>
      {kpis.map(kpi => (
        <Grid item xs={6} sm={4} md={2} key={kpi.label}>
          <Tooltip title={kpi.hint ?? ''} placement="top">
            <Paper
              variant="outlined"
              className={classes.tile}
              role="group"
              aria-label={kpi.label}
            >
              <Typography variant="body2" color="textSecondary">
                {kpi.label}
              </Typography>
              <Typography
                variant="h5"
                className={classes.value}
                data-testid="kpi-value"
              >
                {kpi.value}
              </Typography>
              {kpi.change !== undefined && kpi.comparedWith && (
                <KpiChange
                  change={kpi.change}
                  comparedWith={kpi.comparedWith}
                />
              )}
            </Paper>
          </Tooltip>
        </Grid>
      ))}
    </Grid>
  );
}

/** A card holding one chart or table. */
export function ChartCard(props: {
  title: string;
  subheader?: string;
  children: ReactNode;
}) {
  return (
    <InfoCard title={props.title} subheader={props.subheader} noPadding>
      <Box p={2} aria-label={props.title} role="figure">
        {props.children}
      </Box>
    </InfoCard>
  );
}

/** Lines over days: `series` names the fields of each row to draw. */
export function DailyLineChart<T extends { date: string }>(props: {
  data: T[];
  series: Array<{ key: keyof T & string; label: string }>;
  height?: number;
  percent?: boolean;
}) {
  const colors = useSeriesColors();
  const style = useChartStyle();
  const format = props.percent ? formatPercent : formatCount;
  return (
    <ResponsiveContainer width="100%" height={props.height ?? 260}>
      <LineChart data={props.data} margin={{ left: 8, right: 16, top: 8 }}>
        <CartesianGrid stroke={style.grid} strokeDasharray="3 3" />
        <XAxis dataKey="date" tickFormatter={shortDate} tick={style.axis} />
        <YAxis tickFormatter={v => format(Number(v))} tick={style.axis} />
        <ChartTooltip
          {...style.tooltip}
          labelFormatter={label => shortDate(String(label))}
          formatter={v => format(Number(v))}
        />
        <Legend />
        {props.series.map((s, i) => (
          <Line
            key={s.key}
            type="linear"
            dataKey={s.key}
            name={s.label}
            stroke={colors[i % colors.length]}
            strokeWidth={2}
            dot={props.data.length < 32}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** Stacked or grouped bars over a category axis (days, weeks, cohorts). */
export function ColumnChart(props: {
  data: object[];
  category: string;
  series: Array<{ key: string; label: string }>;
  stacked?: boolean;
  height?: number;
  formatCategory?: (value: string) => string;
}) {
  const colors = useSeriesColors();
  const style = useChartStyle();
  return (
    <ResponsiveContainer width="100%" height={props.height ?? 260}>
      <BarChart
        data={props.data}
        margin={{ left: 8, right: 16, top: 8 }}
        // Stacked: positive values above zero, negative ones below, each in its own direction.
        stackOffset={props.stacked ? 'sign' : undefined}
      >
        <CartesianGrid stroke={style.grid} strokeDasharray="3 3" />
        <XAxis
          dataKey={props.category}
          tickFormatter={props.formatCategory}
          tick={style.axis}
        />
        <YAxis tickFormatter={v => formatCount(Number(v))} tick={style.axis} />
        <ChartTooltip
          {...style.tooltip}
          labelFormatter={label =>
            props.formatCategory
              ? props.formatCategory(String(label))
              : String(label)
          }
          formatter={v => formatCount(Number(v))}
        />
        <Legend />
        {props.series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={colors[i % colors.length]}
            stackId={props.stacked ? 'stack' : undefined}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

/** A ranked list as horizontal bars: the top `limit` rows by `value`. */
export function RankedBarChart(props: {
  data: Array<{ name: string; value: number }>;
  label: string;
  limit?: number;
  colorIndex?: number;
}) {
  const colors = useSeriesColors();
  const style = useChartStyle();
  const rows = props.data.slice(0, props.limit ?? 10);
  if (rows.length === 0) {
    return (
      <Typography color="textSecondary" variant="body2">
        No data in this period.
      </Typography>
    );
  }
  return (
    <ResponsiveContainer
      width="100%"
      height={Math.max(120, rows.length * 30 + 40)}
    >
      <BarChart
        data={rows}
        layout="vertical"
        margin={{ left: 8, right: 24, top: 4, bottom: 4 }}
      >
        <CartesianGrid
          stroke={style.grid}
          strokeDasharray="3 3"
          horizontal={false}
        />
        <XAxis
          type="number"
          tickFormatter={v => formatCount(Number(v))}
          tick={style.axis}
        />
        <YAxis
          type="category"
          dataKey="name"
          width={140}
          tick={style.axis}
          interval={0}
        />
        <ChartTooltip
          {...style.tooltip}
          formatter={v => formatCount(Number(v))}
        />
        <Bar
          dataKey="value"
          name={props.label}
          fill={colors[(props.colorIndex ?? 0) % colors.length]}
          isAnimationActive={false}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
