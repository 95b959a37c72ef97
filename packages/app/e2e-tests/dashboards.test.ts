import { expect, Locator, Page, test, TestInfo } from '@playwright/test';
import { clickstream, waitForGuest } from './backend';

// The demo project of a first start (clickstream.demo in app-config.yaml), fed by the data
// generator: the entity page and the dashboards must show its real numbers.
const PROJECT = 'demo';
const APP = 'shop';

const utcDay = (offset = 0) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Dates as the dashboards write a range, "Nov 25 – Dec 1" (with years when it spans two). */
function rangeLabel(from: string, to: string) {
  const years = from.slice(0, 4) !== to.slice(0, 4);
  const day = (d: string) =>
    new Date(`${d}T00:00:00Z`).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
      ...(years ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    });
  return `${day(from)} – ${day(to)}`;
}

/** The API's answer for a sheet over the dashboards' default range (last 7 days, app in UTC). */
async function sheetFromApi(sheet: string) {
  const path = `/projects/${PROJECT}/apps/${APP}/metrics/${sheet}?from=${utcDay(
    -6,
  )}&to=${utcDay()}`;
  return (await clickstream('GET', path)).body.data;
}

/** A headline number as the tile shows it, parsed ("1,234" is 1234). */
async function tile(page: Page, label: string): Promise<number> {
  const value = page
    .getByRole('group', { name: label, exact: true })
    .getByTestId('kpi-value');
  return Number((await value.innerText()).replace(/,/g, ''));
}

const sheetTab = (page: Page, sheet: string) =>
  page
    .getByRole('tablist', { name: 'Dashboard sheet' })
    .getByRole('tab', { name: sheet });

/**
 * Opens a sheet fresh and checks its tiles against the API. The demo keeps feeding events, so
 * a comparison only counts when the API answered the same before and after the page read.
 */
async function expectTilesMatchApi(
  page: Page,
  sheet: string,
  expected: (data: any) => Record<string, number>,
) {
  let last = '';
  for (let attempt = 0; attempt < 6; attempt++) {
    const before = expected(await sheetFromApi(sheet.toLowerCase()));
    // Switching sheets asks the API again.
    await sheetTab(
      page,
      sheet === 'Overview' ? 'Geography' : 'Overview',
    ).click();
    await sheetTab(page, sheet).click();
    const labels = Object.keys(before);
    await expect(
      page.getByRole('group', { name: labels[0], exact: true }),
    ).toBeVisible();
    const shown: Record<string, number> = {};
    for (const label of labels) shown[label] = await tile(page, label);
    const after = expected(await sheetFromApi(sheet.toLowerCase()));
    if (JSON.stringify(before) === JSON.stringify(after)) {
      expect(shown).toEqual(after);
      return;
    }
    last = `${JSON.stringify(before)} then ${JSON.stringify(after)}`;
  }
  throw new Error(`the ${sheet} numbers kept moving: ${last}`);
}

/**
 * The active users tile's comparison with the 7 days before, against the API's two answers
 * counted by hand (retried while the demo's events move the numbers).
 */
async function expectChangeMatchesApi(page: Page) {
  const activeUsers = async (from: number, to: number) => {
    const path = `/projects/${PROJECT}/apps/${APP}/metrics/overview?from=${utcDay(
      from,
    )}&to=${utcDay(to)}`;
    return (await clickstream('GET', path)).body.data.kpis
      .activeUsers as number;
  };
  const change = page
    .getByRole('group', { name: 'Active users', exact: true })
    .getByTestId('kpi-change');
  let last = '';
  for (let attempt = 0; attempt < 6; attempt++) {
    const [now, before] = [
      await activeUsers(-6, 0),
      await activeUsers(-13, -7),
    ];
    await sheetTab(page, 'Geography').click();
    await sheetTab(page, 'Overview').click();
    await expect(
      page.getByRole('group', { name: 'Active users', exact: true }),
    ).toBeVisible();
    if (before === 0) {
      // Nothing to compare with: the tile says nothing.
      await expect(change).toHaveCount(0);
      return;
    }
    await expect(change).toBeVisible();
    const shown = await change.innerText();
    if ((await activeUsers(-6, 0)) === now) {
      const ratio = (now - before) / before;
      const arrow = { '1': '▲', '-1': '▼', '0': '=' }[String(Math.sign(ratio))];
      const percent = new Intl.NumberFormat('en-US', {
        style: 'percent',
        maximumFractionDigits: 1,
      }).format(Math.abs(ratio));
      const dates = rangeLabel(utcDay(-13), utcDay(-7));
      expect(shown).toBe(`${arrow} ${percent} vs ${dates}`);
      return;
    }
    last = `${now} then ${await activeUsers(-6, 0)}`;
  }
  throw new Error(`the active users kept moving: ${last}`);
}

/** The drawn marks of a chart card: lines' paths and bars' rectangles. */
function marks(page: Page, title: string): Locator {
  return page
    .getByRole('figure', { name: title })
    .locator('.recharts-line-curve, .recharts-bar-rectangle path');
}

/** A card of the entity page, by its title. */
const card = (page: Page, title: string) =>
  page
    .locator('[class*="MuiCard-root"]')
    .filter({ has: page.getByText(title, { exact: true }) });

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test.describe('The demo project on its entity page', () => {
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    await waitForGuest();
    // The demo is set up in the background after start: wait until its history is loaded.
    await expect
      .poll(
        async () => {
          const found = await clickstream(
            'GET',
            `/projects/${PROJECT}/ingestion?limit=0`,
            undefined,
            [200, 404],
          );
          const p = found.body?.processing;
          return (
            found.status === 200 && p.totals.events > 1000 && p.lagBytes === 0
          );
        },
        { timeout: 150_000, intervals: [1_000] },
      )
      .toBe(true);
  });

  test('shows the pipeline Active, its endpoint and the SDK setup', async ({
    page,
  }, testInfo) => {
    await page.goto(`/catalog/default/resource/${PROJECT}`);
    await page.getByRole('button', { name: 'Enter' }).click();

    const pipeline = card(page, 'Clickstream pipeline');
    const row = (label: string) =>
      pipeline
        .locator('tr')
        .filter({ has: page.getByText(label, { exact: true }) });
    await expect(row('Status')).toContainText('Active');
    const endpoint = `http://localhost:7007/api/clickstream/collect/${PROJECT}`;
    await expect(row('Endpoint')).toContainText(endpoint);
    await expect(row('Traffic')).toContainText('events/min, last received');
    for (const module of [
      'Ingestion',
      'Buffer',
      'Processing',
      'Modeling',
      'Reporting',
    ]) {
      // The embedded runtime's modules, in its own words (no CloudFormation here).
      await expect(row(module)).toContainText('Running');
    }
    await expect(
      pipeline.getByRole('button', { name: 'Update' }),
    ).toBeEnabled();
    await expect(row('Health')).toContainText('All 5 checks OK');

    const sdk = card(page, 'SDK setup');
    await expect(sdk).toContainText(`appId: '${APP}'`);
    await expect(sdk).toContainText(`endpoint: '${endpoint}'`);
    await sdk.getByRole('tab', { name: 'Android' }).click();
    await expect(sdk).toContainText('"awsClickstreamPlugin"');
    await expect(
      sdk.getByRole('button', { name: 'Download amplifyconfiguration.json' }),
    ).toBeVisible();
    // The demo app's platforms only (web, Android, iOS), and its events already counted.
    await expect(sdk.getByRole('tab')).toHaveText([
      'Web',
      'Android',
      'iOS (Swift)',
    ]);
    await expect(sdk.getByRole('status')).toContainText('Receiving events');
    await shot(page, testInfo, 'entity-overview');
  });

  test('renders the six dashboard sheets with the numbers of the analytics API, in both themes', async ({
    page,
  }, testInfo) => {
    test.setTimeout(240_000);
    await page.goto(`/catalog/default/resource/${PROJECT}/dashboards`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await expect(sheetTab(page, 'Overview')).toBeVisible();

    await expectTilesMatchApi(page, 'Overview', d => ({
      'Active users': d.kpis.activeUsers,
      'New users': d.kpis.newUsers,
      Sessions: d.kpis.sessions,
      Views: d.kpis.views,
    }));
    await expect(marks(page, 'Users per day').first()).toBeVisible();
    await expect(marks(page, 'Users by platform')).toHaveCount(3);
    await expectChangeMatchesApi(page);
    await shot(page, testInfo, 'sheet-overview');

    await expectTilesMatchApi(page, 'Acquisition', d => ({
      'Active users': d.kpis.activeUsers,
      Sessions: d.kpis.sessions,
    }));
    expect(
      await marks(page, 'Sessions by channel group').count(),
    ).toBeGreaterThan(2);
    await shot(page, testInfo, 'sheet-acquisition');

    await expectTilesMatchApi(page, 'Engagement', d => ({
      Views: d.kpis.views,
      Sessions: d.kpis.sessions,
    }));
    expect(await marks(page, 'Top events').count()).toBeGreaterThan(5);
    await expect(
      marks(page, 'Average session duration per day (seconds)'),
    ).toHaveCount(1);
    await shot(page, testInfo, 'sheet-engagement');

    await expectTilesMatchApi(page, 'Retention', d => {
      const last = d.stickiness[d.stickiness.length - 1];
      return { DAU: last.dau, WAU: last.wau, MAU: last.mau };
    });
    const heatmap = page.getByRole('table', { name: 'Retention cohorts' });
    expect(await heatmap.locator('tbody tr').count()).toBeGreaterThan(3);
    // The weekly lifecycle: weeks the range cuts say so, and churned users (a negative series)
    // are drawn below zero instead of on top of the others.
    const { lifecycle } = await sheetFromApi('retention');
    const chart = page.getByRole('figure', { name: 'Weekly lifecycle' });
    await expect(
      chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick'),
    ).toHaveCount(lifecycle.length);
    await expect(chart.getByText(/\(partial\)$/)).toHaveCount(
      lifecycle.filter((w: { partial: boolean }) => w.partial).length,
    );
    if (lifecycle.some((w: { churned: number }) => w.churned > 0)) {
      const tops = async (series: number, edge: 'top' | 'bottom') =>
        chart
          .locator('.recharts-bar')
          .nth(series)
          .locator('.recharts-bar-rectangle path')
          .evaluateAll(
            (paths, which) =>
              paths.map(p => p.getBoundingClientRect()[which as 'top']),
            edge,
          );
      const positiveBottoms = [
        ...(await tops(0, 'bottom')),
        ...(await tops(1, 'bottom')),
        ...(await tops(2, 'bottom')),
      ];
      const churnedTops = await tops(3, 'top');
      expect(churnedTops.length).toBeGreaterThan(0);
      // Screen y grows downwards: every churned bar starts at or below the zero line, where
      // every positive bar ends.
      expect(Math.min(...churnedTops)).toBeGreaterThanOrEqual(
        Math.max(...positiveBottoms) - 1,
      );
    }
    await shot(page, testInfo, 'sheet-retention');

    await expectTilesMatchApi(page, 'Devices', d => ({
      Users: d.crashes.users,
      'Users with a crash': d.crashes.crashedUsers,
    }));
    expect(await marks(page, 'Browsers').count()).toBeGreaterThan(1);
    await shot(page, testInfo, 'sheet-devices');

    await sheetTab(page, 'Geography').click();
    const countries = (await sheetFromApi('geography')).countries;
    expect(countries.length).toBeGreaterThan(3);
    await expect(marks(page, 'Users by country')).toHaveCount(
      Math.min(15, countries.length),
    );
    await shot(page, testInfo, 'sheet-geography');

    // The dark theme: charts and tiles follow it.
    const background = () =>
      page
        .getByRole('group', { name: 'Active users', exact: true })
        .evaluate(el => getComputedStyle(el).backgroundColor);
    await sheetTab(page, 'Overview').click();
    const light = await background();
    await page.goto('/settings');
    await page.getByRole('button', { name: /dark/i }).first().click();
    await page.goto(`/catalog/default/resource/${PROJECT}/dashboards`);
    await expect(
      page.getByRole('group', { name: 'Active users', exact: true }),
    ).toBeVisible();
    const dark = await background();
    expect(dark).not.toBe(light);
    const [r, g, b] = dark.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(3 * 100);
    await shot(page, testInfo, 'sheet-overview-dark');
  });
  test('keeps the view in the URL: a link opens it, and Back returns to the view before', async ({
    page,
  }, testInfo) => {
    const dashboards = `/catalog/default/resource/${PROJECT}/dashboards`;
    // The metrics request of a link to the acquisition sheet over the last 28 days.
    const asked = page.waitForRequest(
      r =>
        r.url().includes(`/apps/${APP}/metrics/acquisition?`) &&
        r.url().includes(`from=${utcDay(-27)}&to=${utcDay()}`),
    );
    await page.goto(`${dashboards}?sheet=acquisition&range=28d`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await asked;
    await expect(sheetTab(page, 'Acquisition')).toHaveAttribute(
      'aria-selected',
      'true',
    );
    const range = page.getByRole('button', { name: /^Date range / });
    await expect(range).toContainText('Last 28 days');
    // The range's actual dates, under the field.
    await expect(
      page.getByText(rangeLabel(utcDay(-27), utcDay())),
    ).toBeVisible();

    await sheetTab(page, 'Retention').click();
    await expect(page).toHaveURL(/[?&]sheet=retention(&|$)/);
    await expect(page).toHaveURL(/[?&]range=28d(&|$)/);
    await range.click();
    await page.getByRole('option', { name: /^Month to date/ }).click();
    await expect(page).toHaveURL(/[?&]range=mtd(&|$)/);
    await expect(page.getByRole('listbox')).toBeHidden();

    await page.goBack();
    await expect(range).toContainText('Last 28 days');
    await expect(sheetTab(page, 'Retention')).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await page.goBack();
    await expect(sheetTab(page, 'Acquisition')).toHaveAttribute(
      'aria-selected',
      'true',
    );

    // The presets, each with its dates, for the docs.
    await range.click();
    await expect(
      page.getByRole('option', { name: /^Last month/ }),
    ).toBeVisible();
    await shot(page, testInfo, 'dashboard-date-ranges');
    await page.keyboard.press('Escape');
  });
});
