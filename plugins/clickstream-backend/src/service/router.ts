import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ClickstreamHealth } from '@clickstream/backstage-plugin-clickstream-common';
import express from 'express';
import Router from 'express-promise-router';

export interface RouterOptions {
  httpAuth: HttpAuthService;
}

export async function createRouter({
  httpAuth,
}: RouterOptions): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  // Requires Backstage credentials, so a frontend that shows "ok" has proven its token works.
  router.get('/health', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const principal =
      credentials.principal.type === 'user'
        ? credentials.principal.userEntityRef
        : credentials.principal.subject;
    const body: ClickstreamHealth = { status: 'ok', principal };
    res.json(body);
  });

  return router;
}
