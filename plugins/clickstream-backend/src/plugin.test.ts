import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { clickstreamPlugin } from './plugin';

describe('clickstreamPlugin', () => {
  it('serves /api/clickstream/health to authenticated callers only', async () => {
    const { server } = await startTestBackend({
      features: [clickstreamPlugin],
    });

    await request(server).get('/api/clickstream/health').expect(200, {
      status: 'ok',
      principal: mockCredentials.user().principal.userEntityRef,
    });

    const anonymous = await request(server)
      .get('/api/clickstream/health')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});
