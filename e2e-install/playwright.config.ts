import { defineConfig } from '@playwright/test';
import base from '../playwright.config';

// The install test's browser run: the adopter app that e2e-install/run.sh made and started,
// on its own ports (run.sh sets them), in the same Chromium as the main end-to-end suite. The
// shared helpers of packages/app/e2e-tests read the backend's address from BACKSTAGE_BACKEND_URL.
process.env.BACKSTAGE_BACKEND_URL ??= 'http://localhost:7107';
const frontend = process.env.ADOPTER_FRONTEND ?? 'legacy';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'adopter.test.ts',
  timeout: 240_000,
  webServer: undefined,
  reporter: [
    ['list'],
    [
      'json',
      {
        outputFile: `../.ci/output/install-playwright-${frontend}.json`,
      },
    ],
  ],
  use: {
    ...base.use,
    baseURL: process.env.ADOPTER_APP_URL ?? 'http://localhost:3100',
  },
  outputDir: `../node_modules/.cache/e2e-install-results-${frontend}`,
});
