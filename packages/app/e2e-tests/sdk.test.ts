import { expect, Page, Request, test } from '@playwright/test';
import { build } from 'esbuild';
// Node built-ins are kept out of the app's browser code; this test runs in Node (Playwright).
/* eslint-disable no-restricted-imports */
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import path from 'path';
/* eslint-enable no-restricted-imports */
import {
  CLICKSTREAM_API,
  clickstream,
  removeProject,
  waitForGuest,
  waitForPipeline,
} from './backend';

// The real Web SDK in Chromium, on a page served from another origin than the collector,
// against the collector mounted in the running backend.
const PROJECT = 'sdk_e2e';
const APP = 'webShop';
const endpoint = `${CLICKSTREAM_API}/collect/${PROJECT}`;

let server: Server;
let port: number;

async function sdkBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents:
        "import { ClickstreamAnalytics, SendMode } from '@aws/clickstream-web';\n" +
        'Object.assign(window, { ClickstreamAnalytics, SendMode });',
      resolveDir: path.resolve(__dirname, '..'),
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    minify: true,
    write: false,
  });
  return result.outputFiles[0].text;
}

const PAGE = `<!doctype html><html><head><title>shop</title><script src="/sdk.js"></script></head>
<body><h1>Shop</h1><script>
  const params = new URLSearchParams(location.search);
  ClickstreamAnalytics.init({
    appId: params.get('appId'),
    endpoint: params.get('endpoint'),
    sendMode: SendMode.Immediate,
  });
  ClickstreamAnalytics.setUserId('user-42');
  ClickstreamAnalytics.record({
    name: 'add_to_cart',
    attributes: { price: 9.99, currency: 'USD' },
    items: [{ id: 'p1', name: 'Widget', price: 9.99, quantity: 1 }],
  });
  setTimeout(() => history.pushState({}, '', '/product/42'), 300);
</script></body></html>`;

/** Collect requests the page made, with what the browser saw. */
function watchCollector(page: Page) {
  type Seen = { method: string; status: number; allowOrigin?: string };
  const requests = new Map<Request, Seen>();
  page.on('response', response => {
    const request = response.request();
    if (request.url().startsWith(endpoint)) {
      requests.set(request, {
        method: request.method(),
        status: response.status(),
        allowOrigin: response.headers()['access-control-allow-origin'],
      });
    }
  });
  // A request the browser blocked (CORS) fails without a response: status 0. (Chromium also
  // reports keepalive requests as aborted after their response; those keep their status.)
  page.on('requestfailed', request => {
    if (request.url().startsWith(endpoint) && !requests.has(request)) {
      requests.set(request, { method: request.method(), status: 0 });
    }
  });
  return {
    get all(): Seen[] {
      return [...requests.values()];
    },
  };
}

async function ingestion() {
  return (await clickstream('GET', `/projects/${PROJECT}/ingestion?limit=500`))
    .body;
}

test.describe('the Clickstream Web SDK against a local project', () => {
  test.beforeAll(async () => {
    test.setTimeout(180_000);
    const bundle = await sdkBundle();
    server = createServer((req, res) => {
      if (req.url?.startsWith('/sdk.js')) {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
      } else {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end(PAGE);
      }
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;

    await waitForGuest();
    await removeProject(PROJECT);
    await clickstream('POST', '/projects', {
      id: PROJECT,
      name: 'SDK end-to-end',
      owner: 'group:default/analytics-team',
    });
    await clickstream('POST', `/projects/${PROJECT}/apps`, {
      appId: APP,
      name: 'Web shop',
      corsOrigins: [`http://127.0.0.1:${port}`],
    });
    await clickstream('POST', `/projects/${PROJECT}/pipeline/deploy`);
    const active = await waitForPipeline(PROJECT, 'Active');
    expect(active.outputs.endpointUrl).toBe(endpoint);
  });

  test.afterAll(async () => {
    await removeProject(PROJECT).catch(() => undefined);
    await new Promise(resolve => server?.close(resolve));
  });

  test('its automatic and custom events land once each per acknowledged request', async ({
    page,
    context,
  }) => {
    // The project's page waits for the app's first event, in a tab of its own.
    const portal = await context.newPage();
    await portal.goto(`/clickstream/projects/${PROJECT}`);
    await portal.getByRole('button', { name: 'Enter' }).click();
    const firstEvent = portal.getByRole('status').filter({
      hasText: /first event|Receiving events/,
    });
    await expect(firstEvent).toContainText(
      'Waiting for the first event from this app',
    );

    const seen = watchCollector(page);
    await page.goto(
      `http://127.0.0.1:${port}/?appId=${APP}&endpoint=${encodeURIComponent(
        endpoint,
      )}`,
    );

    // _first_open, _session_start, _page_view, _profile_set, add_to_cart, and the SPA _page_view.
    await expect
      .poll(
        () =>
          seen.all.filter(r => r.method === 'POST' && r.status === 200).length,
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThanOrEqual(6);
    await page.waitForTimeout(500);
    const acknowledged = seen.all.filter(
      r => r.method === 'POST' && r.status === 200,
    );
    expect(
      seen.all.filter(r => r.method === 'POST' && r.status !== 200),
    ).toEqual([]);
    expect(
      acknowledged.every(r => r.allowOrigin === `http://127.0.0.1:${port}`),
    ).toBe(true);

    const report = await ingestion();
    expect(report.running).toBe(true);
    expect(report.accepted).toBe(acknowledged.length);
    const events = report.recentEvents as {
      eventId: string;
      eventType: string;
      appId: string;
      platform: string;
    }[];
    // Immediate mode sends one event per request: one stored event per acknowledgement.
    expect(events).toHaveLength(acknowledged.length);
    const ids = events.map(e => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.every(e => e.appId === APP && e.platform === 'Web')).toBe(
      true,
    );
    const types = events.map(e => e.eventType);
    for (const type of [
      '_first_open',
      '_session_start',
      '_page_view',
      '_profile_set',
      'add_to_cart',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.filter(t => t === '_page_view').length).toBeGreaterThanOrEqual(
      2,
    );

    // Once processed, the page's check turns green (it looks every 10 s).
    await expect(firstEvent).toContainText(
      /Receiving events: \d+ in the last 12 months/,
      { timeout: 60_000 },
    );
  });

  test('an unknown appId is refused and nothing is stored', async ({
    page,
  }) => {
    const before = (await ingestion()).accepted;
    const seen = watchCollector(page);
    await page.goto(
      `http://127.0.0.1:${port}/?appId=noSuchApp&endpoint=${encodeURIComponent(
        endpoint,
      )}`,
    );
    await expect
      .poll(() => seen.all.length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    // The preflight is refused, so the browser never sends the events.
    expect(seen.all.filter(r => r.status === 200)).toEqual([]);
    expect((await ingestion()).accepted).toBe(before);

    const direct = await fetch(`${endpoint}?appId=noSuchApp&platform=Web`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '[{"event_id":"x","event_type":"_page_view"}]',
    });
    expect(direct.status).toBe(403);
    expect((await direct.json()).error).toBe("unknown app 'noSuchApp'");
  });

  test('a disallowed origin gets no CORS grant, so the browser sends nothing', async ({
    page,
  }) => {
    const before = (await ingestion()).accepted;
    const seen = watchCollector(page);
    // Same page, but from http://localhost:<port>: not among the app's origins.
    await page.goto(
      `http://localhost:${port}/?appId=${APP}&endpoint=${encodeURIComponent(
        endpoint,
      )}`,
    );
    await expect
      .poll(() => seen.all.length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    expect(seen.all.filter(r => r.status === 200)).toEqual([]);
    expect((await ingestion()).accepted).toBe(before);

    const preflight = await fetch(`${endpoint}?appId=${APP}`, {
      method: 'OPTIONS',
      headers: {
        Origin: `http://localhost:${port}`,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${endpoint}?appId=${APP}`, {
      method: 'OPTIONS',
      headers: {
        Origin: `http://127.0.0.1:${port}`,
        'Access-Control-Request-Method': 'POST',
      },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(
      `http://127.0.0.1:${port}`,
    );
    expect(allowed.headers.get('access-control-allow-credentials')).toBe(
      'true',
    );
  });
});
