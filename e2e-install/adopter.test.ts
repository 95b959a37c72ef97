import { expect, Page, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { BACKEND, guestToken } from '../packages/app/e2e-tests/backend';
import {
  openTheProject,
  waitForEntity,
} from '../packages/app/e2e-tests/entityPage';

// Runs against the app that e2e-install/run.sh made with create-app and the packed packages,
// on either frontend system: the same steps, the same pages. BACKEND is that app's backend
// (BACKSTAGE_BACKEND_URL, set by this suite's Playwright configuration).
const PROJECT = 'adopter_shop';
const ENDPOINT = `${BACKEND}/api/clickstream/collect/${PROJECT}`;

/** Opens a page as the guest: the sign-in page's Enter when the app shows one. */
async function signIn(page: Page, path: string) {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  const nav = page.getByRole('navigation');
  await expect(enter.or(nav).first()).toBeVisible();
  if (await enter.isVisible()) await enter.click();
}

test.describe.configure({ mode: 'serial' });

test('the sidebar leads to the Clickstream page, connected to its backend', async ({
  page,
}) => {
  await signIn(page, '/');
  await page.getByRole('link', { name: 'Clickstream' }).first().click();
  await expect(page).toHaveURL(/\/clickstream$/);
  await expect(
    page.getByRole('heading', { name: 'Clickstream', level: 1 }).first(),
  ).toBeVisible();
  await expect(page.getByText('Connected')).toBeVisible();
  await expect(page.getByText('No clickstream projects yet')).toBeVisible();
});

test('the Software Template creates a project whose entity page shows the cards', async ({
  page,
}) => {
  await signIn(page, '/create');
  // The template's card (the page around the cards is an <article> too).
  const card = page
    .locator('[class*="MuiCard-root"]')
    .filter({ hasText: 'Clickstream project' })
    .filter({ hasNotText: 'Example Node.js Template' });
  await card.getByRole('button', { name: 'Choose' }).click();

  await page.getByLabel('Project id').fill(PROJECT);
  await page.getByLabel(/^Name\s*\*?$/).fill('Adopter shop');
  const owner = page.getByRole('textbox', { name: 'Owner' });
  await owner.click();
  await owner.fill('guests');
  await page
    .getByRole('option', { name: /guests/i })
    .first()
    .click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Where it runs')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel(/^App id/).fill('web');
  await page.getByLabel(/^App name/).fill('Web shop');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const open = openTheProject(page);
  await expect(open).toBeVisible({ timeout: 120_000 });
  await open.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/resource/${PROJECT}`),
  );
  await waitForEntity(page, 'Adopter shop');

  const pipeline = page
    .locator('[class*="MuiCard-root"]')
    .filter({ hasText: 'Clickstream pipeline' })
    .first();
  const row = (label: string) =>
    pipeline
      .locator('tr')
      .filter({ has: page.getByText(label, { exact: true }) });
  await expect(row('Status')).toContainText('Active');
  await expect(row('Endpoint')).toContainText(ENDPOINT);
  const sdk = page
    .locator('[class*="MuiCard-root"]')
    .filter({ hasText: 'SDK setup' })
    .first();
  await expect(sdk).toContainText(`endpoint: '${ENDPOINT}'`);
  await page
    .getByRole('tab', { name: 'Dashboards' })
    .or(page.getByRole('link', { name: 'Dashboards', exact: true }))
    .first()
    .click();
  await expect(page).toHaveURL(/\/dashboards$/);
});

test('the collector mounted by the README lines accepts events, and they reach the metrics', async () => {
  const now = Date.now();
  const events = ['_session_start', '_page_view'].map((name, i) => ({
    event_type: name,
    event_id: randomUUID(),
    app_id: 'web',
    unique_id: 'adopter-user-1',
    timestamp: now + i,
    platform: 'Web',
    attributes: {
      _session_id: 'adopter-session-1',
      _session_start_timestamp: now,
    },
    user: {},
  }));
  const collect = await fetch(
    `${ENDPOINT}?appId=web&platform=Web&event_bundle_sequence_id=1&upload_timestamp=${now}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // A browser's: the pipeline flags the events of bots, and the metrics leave them out.
        'user-agent':
          'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      },
      body: JSON.stringify(events),
    },
  );
  expect(collect.status).toBe(200);

  const day = new Date(now).toISOString().slice(0, 10);
  const token = await guestToken();
  await expect
    .poll(
      async () => {
        const res = await fetch(
          `${BACKEND}/api/clickstream/projects/${PROJECT}/apps/web/metrics/overview?from=${day}&to=${day}&timezone=UTC`,
          { headers: { Authorization: `Bearer ${token}` } },
        );
        if (!res.ok) return `HTTP ${res.status}`;
        const body = (await res.json()) as {
          data: { kpis: { events: number } };
        };
        return body.data.kpis.events;
      },
      { timeout: 60_000, intervals: [1_000] },
    )
    .toBe(events.length);
});
