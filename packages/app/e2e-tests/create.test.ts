import { expect, test } from '@playwright/test';
import { BACKEND, guestToken, removeProject, waitForGuest } from './backend';
import { openTheProject, waitForEntity } from './entityPage';

const PROJECT = 'e2e_create';

test.describe('Create a clickstream project from the Create page', () => {
  test.beforeAll(async () => {
    await waitForGuest();
    await removeProject(PROJECT);
  });
  test.afterAll(async () => {
    await removeProject(PROJECT);
  });

  test('fills the template, runs it to the end, and lands on the entity page', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    // Screenshots go to the test's output directory, attached to the report.
    const shot = async (name: string) => {
      const path = testInfo.outputPath(`${name}.png`);
      await page.screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    };

    await page.goto('/create');
    await page.getByRole('button', { name: 'Enter' }).click();
    const card = page
      .locator('article, [class*="MuiCard-root"]')
      .filter({ hasText: 'Clickstream project' })
      .filter({ hasNotText: 'Clickstream app' })
      .first();
    await card.getByRole('button', { name: 'Choose' }).click();

    // Step 1: the project.
    await page.getByLabel('Project id').fill(PROJECT);
    await page.getByLabel(/^Name\s*\*?$/).fill('E2E create');
    await page.getByLabel('Description').fill('Created by the e2e test');
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('analytics');
    await page
      .getByRole('option', { name: /analytics team/i })
      .first()
      .click();
    await shot('form-project');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 2: the pipeline, local by default. A user who looks at AWS first and comes back
    // leaves AWS-only values (buffer, base capacity) in the form: the run must not mind.
    await expect(page.getByText('Where it runs')).toBeVisible();
    const target = page.locator('#root_target_type');
    await target.click();
    await page.getByRole('option', { name: /^AWS/ }).click();
    await expect(page.getByLabel(/base capacity/)).toBeVisible();
    await target.click();
    await page.getByRole('option', { name: /^Inside Backstage/ }).click();
    await expect(page.getByLabel(/base capacity/)).toBeHidden();
    await shot('form-pipeline');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 3: the first app.
    await page.getByLabel(/^App id/).fill('web');
    await page.getByLabel(/^App name/).fill('Web shop');
    await shot('form-app');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task runs its four steps; the log ends with the pipeline Active.
    const open = openTheProject(page);
    await expect(open).toBeVisible({ timeout: 120_000 });
    await expect(
      page.getByText('Wait for the pipeline', { exact: false }).first(),
    ).toBeVisible();
    await shot('task-finished');

    // The output link goes to the project's entity, which the entity provider adds to the
    // catalog within seconds of the project's creation.
    await open.click();
    await expect(page).toHaveURL(
      new RegExp(`/catalog/default/resource/${PROJECT}`),
    );
    await waitForEntity(page, 'E2E create');
    await expect(page.getByText('clickstream-project').first()).toBeVisible();
    await shot('entity-page');

    // The second template registers another app on the project the entity picker offers.
    const headers = {
      Authorization: `Bearer ${await guestToken()}`,
      'Content-Type': 'application/json',
    };
    const task = await (
      await fetch(`${BACKEND}/api/scaffolder/v2/tasks`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          templateRef: 'template:default/clickstream-app',
          values: {
            project: `resource:default/${PROJECT}`,
            appId: 'android',
            appName: 'Android shop',
            platform: 'Android',
          },
        }),
      })
    ).json();
    let finished: any;
    await expect
      .poll(
        async () => {
          finished = await (
            await fetch(`${BACKEND}/api/scaffolder/v2/tasks/${task.id}`, {
              headers,
            })
          ).json();
          return finished.status;
        },
        { timeout: 30_000, intervals: [500] },
      )
      .toBe('completed');
    const apps = await (
      await fetch(`${BACKEND}/api/clickstream/projects/${PROJECT}/apps`, {
        headers,
      })
    ).json();
    expect(apps.items.map((a: { appId: string }) => a.appId).sort()).toEqual([
      'android',
      'web',
    ]);
  });
});
