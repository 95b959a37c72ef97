import { createApiRef } from '@backstage/core-plugin-api';
import {
  ClickstreamHealth,
  Page,
  PipelineStatus,
  Project,
} from '@clickstream/backstage-plugin-clickstream-common';

/** A project as lists show it: with its pipeline's status. @public */
export type ProjectSummary = Project & { status: PipelineStatus };

/** The frontend's view of the clickstream backend API. @public */
export interface ClickstreamApi {
  /** Checks that the backend is up and accepts this user's credentials. */
  getHealth(): Promise<ClickstreamHealth>;
  /** The projects the signed-in user may read, a page at a time. */
  listProjects(options?: {
    limit?: number;
    offset?: number;
  }): Promise<Page<ProjectSummary>>;
}

/** @public */
export const clickstreamApiRef = createApiRef<ClickstreamApi>({
  id: 'plugin.clickstream.service',
});
