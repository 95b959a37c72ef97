import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { clickstreamApiRef } from '../api';

/** Loads the projects the signed-in user may read; `retry` loads them again. */
export function useProjects() {
  const api = useApi(clickstreamApiRef);
  return useAsyncRetry(() => api.listProjects({ limit: 500 }), [api]);
}
