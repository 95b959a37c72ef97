import { AcquisitionSheet } from '@clickstream/backstage-plugin-clickstream-common';
import { Processor } from '../../../processor/Processor';
import { ingestRecord, sdkEvent } from '../../../testing/sdkEvents';
import { DuckDbWarehouse } from '../../DuckDbWarehouse';
import { computeSheet } from '.';

/*
 * Visits as the SDKs send them, through the processor and the warehouse, to the acquisition
 * sheet: each session's channel, source and medium are the reference classifier's answers.
 */
jest.setTimeout(30_000);

const AT = Date.parse('2026-11-10T10:00:00Z');

/** One visit of its own user and session: a page view with these attributes. */
const visit = (
  user: string,
  attributes: Record<string, string>,
  pageUrl = 'https://shop.example/products/1',
) =>
  sdkEvent({
    name: '_page_view',
    at: AT,
    user,
    session: `${user}-s1`,
    sessionStart: AT,
    pageUrl,
    attributes,
  });

describe('the acquisition sheet', () => {
  it('shows each session by the source and channel the reference gives it', async () => {
    const processor = new Processor({
      projectId: 'demo',
      apps: new Map([['shop', { appId: 'shop', timezone: 'UTC' }]]),
      dataFreshnessHours: 24 * 365 * 5,
    });
    const warehouse = await DuckDbWarehouse.open(':memory:');
    try {
      await warehouse.load(
        processor.process([
          ingestRecord([
            // A single-page app: the first tracked page has an internal page referrer, the
            // search engine is the latest referrer.
            visit('spa', {
              _page_referrer: 'https://shop.example/',
              _latest_referrer: 'https://www.google.com/',
              _latest_referrer_host: 'www.google.com',
            }),
            // A mobile app's referrer without a scheme.
            visit(
              'android',
              { _latest_referrer: 'www.baidu.com' },
              'www.shop.example/?q=abc',
            ),
            // The site itself.
            visit('internal', { _page_referrer: 'https://shop.example/cart' }),
            // What a mobile SDK sets for a campaign.
            visit('campaign', {
              _utm_source: 'newsletter',
              _utm_medium: 'email',
            }),
            visit('direct', {}),
          ]),
        ]),
      );
      const acquisition = (await computeSheet(warehouse, 'acquisition', {
        appId: 'shop',
        from: '2026-11-10',
        to: '2026-11-10',
        timezone: 'UTC',
        storedTimezone: 'UTC',
      })) as AcquisitionSheet;
      const bySource = acquisition.sessionSources
        .map(r => [r.channelGroup, r.source, r.medium, r.sessions])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
      expect(bySource).toEqual([
        ['Organic Search', 'Baidu', '(Organic)', 1],
        ['Direct', 'Direct', 'None', 1],
        ['Internal', 'Direct', 'None', 1],
        ['Organic Search', 'Google', '(Organic)', 1],
        ['Email', 'newsletter', 'email', 1],
      ]);
    } finally {
      await warehouse.close();
    }
  });
});
