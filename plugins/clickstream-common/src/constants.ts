/** The id of the Clickstream backend plugin; its API is served under `/api/clickstream`. @public */
export const CLICKSTREAM_PLUGIN_ID = 'clickstream';

/**
 * Catalog annotation that links an entity to a Clickstream project.
 * Its value is the project id.
 * @public
 */
export const CLICKSTREAM_PROJECT_ID_ANNOTATION = 'clickstream/project-id';

/** The `spec.type` of the catalog `Resource` that stands for a Clickstream project. @public */
export const CLICKSTREAM_PROJECT_ENTITY_TYPE = 'clickstream-project';

/**
 * The catalog entity of a project: a `Resource` in the default namespace named by the
 * project id (project ids are valid entity names).
 * @public
 */
export function clickstreamProjectEntityRef(projectId: string): string {
  return `resource:default/${projectId}`;
}
