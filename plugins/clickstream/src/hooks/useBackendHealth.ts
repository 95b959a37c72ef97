import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { clickstreamApiRef } from '../api';

/** Loads the backend's health; `retry` checks again. */
export function useBackendHealth() {
  const api = useApi(clickstreamApiRef);
  return useAsyncRetry(() => api.getHealth(), [api]);
}
