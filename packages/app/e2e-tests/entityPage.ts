// Helpers for the last steps of a Software Template run, shared with the install test.
import { expect, Locator, Page } from '@playwright/test';

/** The task page's output link to the new project's entity. */
export function openTheProject(page: Page): Locator {
  return page
    .getByRole('button', { name: 'Open the project' })
    .or(page.getByRole('link', { name: 'Open the project' }))
    .first();
}

/**
 * Waits on a project's entity page until it shows the entity, reloading: the catalog provider
 * adds the entity within seconds of the project's creation.
 */
export async function waitForEntity(page: Page, title: string) {
  await expect
    .poll(
      async () => {
        if (await page.getByRole('heading', { name: title }).count()) {
          return true;
        }
        await page.reload();
        return false;
      },
      { timeout: 60_000, intervals: [2_000] },
    )
    .toBe(true);
}
