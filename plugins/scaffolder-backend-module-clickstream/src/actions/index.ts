import { coreServices } from '@backstage/backend-plugin-api';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/** What the Clickstream actions need from the backend they run in. @public */
export interface ClickstreamActionsOptions {
  discovery: typeof coreServices.discovery.T;
  auth: typeof coreServices.auth.T;
}

/**
 * All Clickstream scaffolder actions. They call the clickstream backend's API with the
 * initiator's credentials, so its permissions apply to whoever runs the template.
 * The project, app and pipeline actions are added by the scaffolder issue.
 * @public
 */
export function createClickstreamActions(
  _options: ClickstreamActionsOptions,
): TemplateAction<any, any, any>[] {
  return [];
}
