import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { ClickstreamApi } from '../api/ClickstreamApi';
import { createProjectAction } from './createProject';
import { deployPipelineAction, waitForPipelineAction } from './pipeline';
import { registerAppAction } from './registerApp';

/** What the Clickstream actions need from the backend they run in. @public */
export interface ClickstreamActionsOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** The shortest pause between two status polls of `clickstream:pipeline:wait` (default 1 s). */
  minPollIntervalMs?: number;
}

/**
 * All Clickstream scaffolder actions. They call the clickstream backend's API with the
 * initiator's credentials, so its permissions apply to whoever runs the template.
 * @public
 */
export function createClickstreamActions(
  options: ClickstreamActionsOptions,
): TemplateAction<any, any, any>[] {
  const api = new ClickstreamApi(options.discovery, options.auth);
  return [
    createProjectAction(api),
    registerAppAction(api),
    deployPipelineAction(api),
    waitForPipelineAction(api, { minIntervalMs: options.minPollIntervalMs }),
  ] as TemplateAction<any, any, any>[];
}
