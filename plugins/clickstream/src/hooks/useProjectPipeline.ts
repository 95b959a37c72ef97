import { useApi } from '@backstage/core-plugin-api';
import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import {
  isPipelineBusy,
  isPipelineRunning,
} from '@clickstream/backstage-plugin-clickstream-common';
import { clickstreamApiRef } from '../api';

/** While work is in progress the card looks often; otherwise, gently. */
const BUSY_POLL_MS = 2_000;
const IDLE_POLL_MS = 10_000;

/**
 * A project's pipeline, its apps and (for `local` projects) its ingestion report, kept fresh
 * by polling. `reload` reads them again at once.
 */
export function useProjectPipeline(projectId: string) {
  const api = useApi(clickstreamApiRef);
  const [tick, setTick] = useState(0);
  const state = useAsyncRetry(async () => {
    const [project, pipeline, apps] = await Promise.all([
      api.getProject(projectId),
      api.getPipeline(projectId),
      api.listApps(projectId),
    ]);
    const running = isPipelineRunning(pipeline.status);
    const [ingestion, health] = await Promise.all([
      project.target.type === 'local' && pipeline.status === 'Active'
        ? api.getIngestion(projectId)
        : undefined,
      // The card still shows the pipeline when its alarms cannot be read; it says why.
      running
        ? api
            .getPipelineHealth(projectId)
            .then(h => ({ checks: h.checks, error: undefined }))
            .catch((e: Error) => ({ checks: [], error: e.message }))
        : undefined,
    ]);
    return { project, pipeline, apps: apps.items, ingestion, health };
  }, [api, projectId, tick]);

  // Keep the last good value on screen while a poll is in flight.
  const [last, setLast] = useState(state.value);
  useEffect(() => {
    if (state.value) setLast(state.value);
  }, [state.value]);

  const busy = last ? isPipelineBusy(last.pipeline.status) : false;
  const reload = useCallback(() => setTick(t => t + 1), []);
  const pollMs = busy ? BUSY_POLL_MS : IDLE_POLL_MS;
  useInterval(reload, state.error ? null : pollMs);

  return {
    value: state.value ?? last,
    loading: state.loading && !last,
    error: state.error,
    reload,
  };
}
