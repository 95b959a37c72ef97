import { expect, test } from '@playwright/test';
import {
  CLICKSTREAM_API,
  clickstream,
  removeProject,
  waitForGuest,
  waitForPipeline,
} from './backend';

// Day-2 work on a project from its page, each step checked through the API afterwards.
const PROJECT = 'manage_e2e';
const APP = 'web_manage';

/** What the collector answers for one event of the app (403 while it is disabled). */
async function collect(): Promise<number> {
  const res = await fetch(
    `${CLICKSTREAM_API}/collect/${PROJECT}?appId=${APP}`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([
        {
          event_type: '_page_view',
          event_id: crypto.randomUUID(),
          app_id: APP,
          unique_id: 'u1',
          timestamp: Date.now(),
          platform: 'Web',
        },
      ]),
    },
  );
  await res.arrayBuffer();
  return res.status;
}

const app = async () =>
  (await clickstream('GET', `/projects/${PROJECT}/apps/${APP}`)).body;

test.describe('Managing a project from its page', () => {
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    await waitForGuest();
    await removeProject(PROJECT);
    await clickstream('POST', '/projects', {
      id: PROJECT,
      name: 'Managed from the portal',
      owner: 'user:default/guest',
    });
    await clickstream('POST', `/projects/${PROJECT}/apps`, {
      appId: APP,
      name: 'Web shop',
    });
    await clickstream('POST', `/projects/${PROJECT}/pipeline/deploy`);
    await waitForPipeline(PROJECT, 'Active');
  });

  test.afterAll(async () => {
    await removeProject(PROJECT).catch(() => undefined);
  });

  test("edits an app's origins, disables and re-enables it, changes the pipeline, hands the project to a group, and deletes it", async ({
    page,
  }, testInfo) => {
    await page.goto(`/clickstream/projects/${PROJECT}`);
    await page.getByRole('button', { name: 'Enter' }).click();
    await expect(page.getByText('Apps (1)')).toBeVisible();

    // The app's allowed origins.
    await page.getByRole('button', { name: `Edit app ${APP}` }).click();
    const edit = page.getByRole('dialog');
    await edit
      .getByLabel('Allowed web origins')
      .fill('https://shop.example.com\nhttps://*.example.org');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    expect((await app()).corsOrigins).toEqual([
      'https://shop.example.com',
      'https://*.example.org',
    ]);

    // Disabled, the collector refuses the app's events; enabled again, it takes them.
    expect(await collect()).toBe(200);
    await page.getByRole('button', { name: `Disable app ${APP}` }).click();
    await expect(
      page.getByRole('button', { name: `Enable app ${APP}` }),
    ).toBeVisible();
    expect((await app()).enabled).toBe(false);
    await expect.poll(collect, { timeout: 10_000 }).toBe(403);
    await page.getByRole('button', { name: `Enable app ${APP}` }).click();
    await expect(
      page.getByRole('button', { name: `Disable app ${APP}` }),
    ).toBeVisible();
    expect((await app()).enabled).toBe(true);
    await expect.poll(collect, { timeout: 10_000 }).toBe(200);

    // A pipeline option changed through the guided form, checked beside its field while
    // typed, then applied by an update: the collector allows the new origin for every app.
    await page
      .getByRole('button', { name: 'Edit', exact: true })
      .first()
      .click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Data freshness (hours)').fill('0');
    await expect(
      form.getByText(
        'processing.dataFreshnessHours: Number must be greater than or equal to 1',
      ),
    ).toHaveCount(2);
    await expect(form.getByRole('button', { name: 'Save' })).toBeDisabled();
    await form.getByLabel('Data freshness (hours)').fill('48');
    await form
      .getByLabel('Allowed web origins (CORS), one per line')
      .fill('https://portal.example.net');
    await expect(form.getByLabel('What the change redeploys')).toContainText(
      'Changed: ingestion.corsOrigins, processing.dataFreshnessHours.',
    );
    // The form as the docs show it (docs/images/pipeline-form.png).
    const formShot = testInfo.outputPath('pipeline-form.png');
    await form.screenshot({ path: formShot });
    await testInfo.attach('pipeline-form', {
      path: formShot,
      contentType: 'image/png',
    });
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form).toBeHidden();
    const saved = (await clickstream('GET', `/projects/${PROJECT}/pipeline`))
      .body;
    expect(saved.config.ingestion.corsOrigins).toEqual([
      'https://portal.example.net',
    ]);
    expect(saved.config.processing.dataFreshnessHours).toBe(48);
    await page.getByRole('button', { name: 'Update', exact: true }).click();
    await page.getByRole('button', { name: 'Update pipeline' }).click();
    await waitForPipeline(PROJECT, 'Active');
    await expect
      .poll(
        async () => {
          const res = await fetch(
            `${CLICKSTREAM_API}/collect/${PROJECT}?appId=${APP}`,
            {
              method: 'OPTIONS',
              headers: {
                Origin: 'https://portal.example.net',
                'Access-Control-Request-Method': 'POST',
              },
            },
          );
          await res.arrayBuffer();
          return res.headers.get('access-control-allow-origin');
        },
        { timeout: 30_000 },
      )
      .toBe('https://portal.example.net');

    // Handed from the guest to the guest's team.
    await page.getByRole('button', { name: 'Project settings' }).click();
    const settings = page.getByRole('dialog');
    await settings.getByText('group:default/analytics-team').click();
    await settings.getByRole('button', { name: 'Save' }).click();
    await expect(settings).toBeHidden();
    expect((await clickstream('GET', `/projects/${PROJECT}`)).body.owner).toBe(
      'group:default/analytics-team',
    );

    // Deleted, with its running pipeline, once its id is typed.
    await page.getByRole('button', { name: 'Delete project' }).click();
    const remove = page.getByRole('dialog');
    await expect(remove).toContainText(
      'Its pipeline is deleted first: the collector stops accepting events',
    );
    const confirm = remove.getByRole('button', { name: 'Delete project' });
    await expect(confirm).toBeDisabled();
    await remove.getByLabel(`Type ${PROJECT} to confirm`).fill(PROJECT);
    await confirm.click();
    await expect(page).toHaveURL(/\/clickstream$/, { timeout: 60_000 });
    expect(
      (await clickstream('GET', `/projects/${PROJECT}`, undefined, [404]))
        .status,
    ).toBe(404);
    expect(await collect()).toBe(404);
  });
});
