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

  test("edits an app's origins, disables and re-enables it, hands the project to a group, and deletes it", async ({
    page,
  }) => {
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
