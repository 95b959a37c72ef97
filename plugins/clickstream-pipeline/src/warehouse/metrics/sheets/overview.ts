import { datesBetween } from '../zonedTime';
import { QueryBuilder } from '../QueryBuilder';
import { SheetDefinition } from '../SheetDefinition';
import { breakdowns, byDay, keyMetrics, num } from '../shaping';

/** The overview: key metrics, the daily series and the platforms. */
export const overview: SheetDefinition<'overview'> = {
  queries: (q: QueryBuilder) => [
    ...q.kpis(),
    q.daily(),
    q.breakdown('platforms', 'platform'),
  ],
  shape(r, ctx) {
    const daily = byDay(r.daily);
    const sessions = byDay(r.sessionsByDay);
    return {
      kpis: keyMetrics(r.kpis, r.sessionsByDay),
      daily: datesBetween(ctx.from, ctx.to).map(date => ({
        date,
        activeUsers: num(daily.get(date)?.active_users),
        newUsers: num(daily.get(date)?.new_users),
        sessions: num(sessions.get(date)?.sessions),
        views: num(daily.get(date)?.views),
        events: num(daily.get(date)?.events),
      })),
      platforms: breakdowns(r.platforms),
    };
  },
};
