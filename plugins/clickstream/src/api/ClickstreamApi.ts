import { createApiRef } from '@backstage/core-plugin-api';
import { ClickstreamHealth } from '@clickstream/backstage-plugin-clickstream-common';

/** The frontend's view of the clickstream backend API. @public */
export interface ClickstreamApi {
  /** Checks that the backend is up and accepts this user's credentials. */
  getHealth(): Promise<ClickstreamHealth>;
}

/** @public */
export const clickstreamApiRef = createApiRef<ClickstreamApi>({
  id: 'plugin.clickstream.service',
});
