import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { ClickstreamService } from '@clickstream/backstage-plugin-clickstream-node';
import { createProjectAction } from './createProject';
import {
  deployPipelineAction,
  upgradePipelineAction,
  waitForPipelineAction,
} from './pipeline';
import { registerAppAction } from './registerApp';

/** What the Clickstream actions need from the backend they run in. @public */
export interface ClickstreamActionsOptions {
  /** The clickstream API (`clickstreamServiceRef` in a backend module). */
  clickstream: ClickstreamService;
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
  const api = options.clickstream;
  return [
    createProjectAction(api),
    registerAppAction(api),
    deployPipelineAction(api),
    upgradePipelineAction(api),
    waitForPipelineAction(api, { minIntervalMs: options.minPollIntervalMs }),
  ] as TemplateAction<any, any, any>[];
}
