import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';

describe('createRouter', () => {
  let app: express.Express;

  beforeEach(async () => {
    const router = await createRouter({ httpAuth: mockServices.httpAuth() });
    app = express().use(router).use(mockErrorHandler());
  });

  it('answers /health for a signed-in user, naming the user', async () => {
    const response = await request(app).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      principal: mockCredentials.user().principal.userEntityRef,
    });
  });

  it('answers /health for a service, naming the service', async () => {
    const response = await request(app)
      .get('/health')
      .set('Authorization', mockCredentials.service.header());
    expect(response.status).toBe(200);
    expect(response.body.principal).toBe(
      mockCredentials.service().principal.subject,
    );
  });

  it('refuses /health without credentials', async () => {
    const response = await request(app)
      .get('/health')
      .set('Authorization', mockCredentials.none.header());
    expect(response.status).toBe(401);
    expect(response.body.error.name).toBe('AuthenticationError');
  });
});
