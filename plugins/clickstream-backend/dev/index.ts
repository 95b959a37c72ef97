import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A standalone backend for working on this plugin alone (`yarn start` in this folder).
// Mock auth lets you call the API without signing in:
//   curl http://localhost:7007/api/clickstream/health
//   curl http://localhost:7007/api/clickstream/health -H 'Authorization: Bearer mock-none-token'   # 401
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));
backend.start();
