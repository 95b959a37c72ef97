import { QueryBuilder } from '../QueryBuilder';
import { SheetDefinition } from '../SheetDefinition';
import { breakdowns, num, ratio } from '../shaping';
import { userDaily } from '../../rollups';

/** Devices: users by platform, model, operating system, browser, screen and app version. */
export const devices: SheetDefinition<'devices'> = {
  queries: q => [
    q.breakdown('platforms', 'platform'),
    q.breakdown('models', 'device_model'),
    q.breakdown('operatingSystems', 'operating_system'),
    q.breakdown('browsers', 'browser'),
    q.breakdown('screenResolutions', 'screen_resolution'),
    q.breakdown('appVersions', 'app_version'),
    crashes(q),
  ],
  shape(r) {
    const crash = r.crashes[0] ?? {};
    return {
      platforms: breakdowns(r.platforms),
      models: breakdowns(r.models),
      operatingSystems: breakdowns(r.operatingSystems),
      browsers: breakdowns(r.browsers),
      screenResolutions: breakdowns(r.screenResolutions),
      appVersions: breakdowns(r.appVersions),
      crashes: {
        users: num(crash.users),
        crashedUsers: num(crash.crashed_users),
        crashRate: ratio(num(crash.crashed_users), num(crash.users)),
      },
    };
  },
};

function crashes(q: QueryBuilder) {
  return q.query(
    'crashes',
    q.rollups([userDaily]),
    `SELECT ${q.users()} AS users,
  COUNT(DISTINCT CASE WHEN exceptions > 0 THEN user_key END) AS crashed_users
FROM user_daily`,
  );
}
