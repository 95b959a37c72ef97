/** The id of the Clickstream backend plugin; its API is served under `/api/clickstream`. @public */
export const CLICKSTREAM_PLUGIN_ID = 'clickstream';

/**
 * Catalog annotation that links an entity to a Clickstream project.
 * Its value is the project id.
 * @public
 */
export const CLICKSTREAM_PROJECT_ID_ANNOTATION = 'clickstream/project-id';
