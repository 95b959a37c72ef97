// Helpers for end-to-end tests that talk to the running backend as the development guest.
import { expect } from '@playwright/test';

export const BACKEND =
  process.env.BACKSTAGE_BACKEND_URL ?? 'http://localhost:7007';
export const CLICKSTREAM_API = `${BACKEND}/api/clickstream`;

export async function guestToken(): Promise<string> {
  const res = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(
      `guest sign-in answered ${res.status}: ${await res.text()}`,
    );
  }
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

/**
 * True once the backend answers and the catalog has loaded the guest as a member of
 * analytics-team (examples/org.yaml). A guest token carries the group only from then on,
 * and the tests create projects owned by that group.
 */
export async function guestIsTeamMember(): Promise<boolean> {
  try {
    const res = await fetch(
      `${BACKEND}/api/catalog/entities/by-name/user/default/guest`,
      {
        headers: { Authorization: `Bearer ${await guestToken()}` },
      },
    );
    if (!res.ok) return false;
    const user = (await res.json()) as {
      relations?: { type: string; targetRef: string }[];
    };
    return (user.relations ?? []).some(
      r =>
        r.type === 'memberOf' && r.targetRef === 'group:default/analytics-team',
    );
  } catch {
    return false;
  }
}

/** Waits (up to 90 s) for the app to be ready for the guest. */
export async function waitForGuest(): Promise<void> {
  await expect
    .poll(guestIsTeamMember, {
      message: `the backend at ${BACKEND} must answer and know user:default/guest as a member of group:default/analytics-team`,
      timeout: 90_000,
      intervals: [1_000],
    })
    .toBe(true);
}

/** Calls the clickstream API as the guest; throws with the answer unless it is `expected`. */
export async function clickstream<T = any>(
  method: string,
  path: string,
  body?: unknown,
  expected: number[] = [200, 201, 202, 204],
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${CLICKSTREAM_API}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await guestToken()}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!expected.includes(res.status)) {
    throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  }
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls the pipeline status until `status` with nothing in flight. */
export async function waitForPipeline(
  projectId: string,
  status: string,
): Promise<any> {
  let last: any;
  await expect
    .poll(
      async () => {
        last = (
          await clickstream('GET', `/projects/${projectId}/pipeline/status`)
        ).body;
        return last.operation === null ? last.status : 'busy';
      },
      { timeout: 30_000, intervals: [200] },
    )
    .toBe(status);
  return last;
}

/** Removes a project left by an earlier run, tearing its pipeline down first. */
export async function removeProject(projectId: string): Promise<void> {
  const found = await clickstream(
    'GET',
    `/projects/${projectId}/pipeline/status`,
    undefined,
    [200, 404],
  );
  if (found.status === 404) return;
  if (!['NotDeployed', 'Deleted'].includes(found.body.status)) {
    await clickstream('DELETE', `/projects/${projectId}/pipeline`);
    await waitForPipeline(projectId, 'Deleted');
  }
  await clickstream('DELETE', `/projects/${projectId}`);
}
