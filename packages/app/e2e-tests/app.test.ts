import { expect, test } from '@playwright/test';

test.describe('Clickstream app', () => {
  test('a guest signs in and opens the Clickstream page from the sidebar', async ({
    page,
  }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Enter' }).click();

    // The catalog home, with this repository's own entry loaded from catalog-info.yaml.
    await expect(page.getByText('Clickstream Catalog')).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Clickstream for Backstage' }),
    ).toBeVisible();

    await page.getByRole('link', { name: 'Clickstream' }).first().click();
    await expect(page).toHaveURL(/\/clickstream$/);
    await expect(
      page.getByRole('heading', { name: 'Clickstream', level: 1 }),
    ).toBeVisible();

    // "Connected" needs the guest's Backstage token to reach the authenticated
    // /api/clickstream/health route of the running backend.
    await expect(page.getByText('Connected')).toBeVisible();
    await expect(
      page.getByText('Signed in as user:default/guest'),
    ).toBeVisible();

    await expect(
      page.getByRole('button', { name: 'Create a project' }),
    ).toBeVisible();
    // The projects list comes from the running backend with the guest's token.
    await expect(
      page.getByText(/^No clickstream projects yet$|^Projects \(\d+\)$/),
    ).toBeVisible();
  });

  test('the Clickstream page opens directly by its URL', async ({ page }) => {
    await page.goto('/clickstream');
    await page.getByRole('button', { name: 'Enter' }).click();
    await expect(page.getByText('Get started')).toBeVisible();
    await expect(page.getByText('Connected')).toBeVisible();
  });
});
