import { expect, test } from '@playwright/test';
// Node built-ins are kept out of the app's browser code; this test runs in Node (Playwright).
/* eslint-disable no-restricted-imports */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
/* eslint-enable no-restricted-imports */
import { BACKEND, guestToken, waitForGuest } from './backend';

const DOC = path.resolve(__dirname, '../../../docs/api.md');
const OPENING = '```sh title="walkthrough"';

/** The walkthrough of docs/api.md: the lines between its opening fence and the closing one. */
function walkthrough(): string {
  const lines = fs.readFileSync(DOC, 'utf8').split(/\r?\n/);
  const starts = lines.flatMap((line, i) => (line === OPENING ? [i] : []));
  expect(
    starts,
    `docs/api.md must hold exactly one block opened with ${OPENING}`,
  ).toHaveLength(1);
  const end = lines.findIndex((line, i) => i > starts[0] && line === '```');
  expect(end, 'the walkthrough block must be closed').toBeGreaterThan(0);
  return lines.slice(starts[0] + 1, end).join('\n');
}

/** Deletes the walkthrough's project, if a failed run left it behind. */
async function deleteDemoProject(): Promise<void> {
  const res = await fetch(`${BACKEND}/api/clickstream/projects/demo_shop`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${await guestToken()}` },
  });
  const body = await res.text();
  expect(
    [204, 404],
    `DELETE demo_shop answered ${res.status}: ${body}`,
  ).toContain(res.status);
}

test.describe('API documentation', () => {
  test('the curl walkthrough of docs/api.md runs as written', async () => {
    test.setTimeout(180_000);
    const script = walkthrough();

    // The app may still be starting: wait for the backend and the catalog's example org.
    await waitForGuest();
    await deleteDemoProject();

    try {
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
        env: { ...process.env, BACKSTAGE_URL: BACKEND },
        encoding: 'utf8',
        timeout: 60_000,
      });
      const report = [
        `exit code ${result.status}${
          result.signal ? `, killed by ${result.signal}` : ''
        }${result.error ? `, ${result.error.message}` : ''}`,
        '--- stdout ---',
        result.stdout ?? '',
        '--- stderr ---',
        result.stderr ?? '',
      ].join('\n');
      const stdout = result.stdout ?? '';
      // The backend may pretty-print JSON; compare fields without layout.
      const compact = stdout.replace(/":\s+/g, '":');

      expect(result.status, report).toBe(0);
      expect(compact, report).toContain('"principal":"user:default/guest"');
      expect(compact, report).toContain('"id":"demo_shop"');
      expect(compact, report).toContain('"appId":"demoWeb"');
      expect(compact, report).toContain('"dataFreshnessHours":24');
      expect(compact, report).toContain('"status":"NotDeployed"');
      expect(stdout, report).toMatch(/^409$/m);
      expect(stdout.match(/^204$/gm), report).toHaveLength(2);
    } finally {
      // Leave nothing behind, without hiding the failure that got us here.
      await deleteDemoProject().catch(() => undefined);
    }
  });
});
