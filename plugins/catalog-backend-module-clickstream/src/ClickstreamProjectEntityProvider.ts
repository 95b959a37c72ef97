import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CLICKSTREAM_PROJECT_ENTITY_TYPE,
  CLICKSTREAM_PROJECT_ID_ANNOTATION,
  PipelineOutputs,
  ProjectSummary,
} from '@clickstream/backstage-plugin-clickstream-common';
import { ClickstreamService } from '@clickstream/backstage-plugin-clickstream-node';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';

/**
 * Mirrors the control plane into the catalog: every Clickstream project is a `Resource` of
 * type `clickstream-project`, owned by the project's owner, annotated with its id and linked
 * to its endpoint and dashboards. Each refresh replaces the provider's whole set, so created,
 * changed and deleted projects appear, change and disappear without a repository.
 * @public
 */
export class ClickstreamProjectEntityProvider implements EntityProvider {
  #connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      clickstream: ClickstreamService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  getProviderName(): string {
    return 'clickstream-projects';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
  }

  /** Reads every project through the clickstream API and replaces the catalog's set. */
  async refresh(): Promise<void> {
    // The schedule may fire before the catalog has connected the provider.
    if (!this.#connection) return;
    const { clickstream, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const projects = await clickstream.listProjects({ credentials });
    const entities = await Promise.all(
      projects.map(async project => {
        const outputs =
          project.status === 'NotDeployed'
            ? undefined
            : (await clickstream.getPipelineStatus(project.id, { credentials }))
                .outputs;
        return projectEntity(project, outputs);
      }),
    );
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.options.logger.debug(
      `Mirrored ${entities.length} Clickstream projects`,
    );
  }
}

/** The catalog entity of a project. @public */
export function projectEntity(
  project: ProjectSummary,
  outputs: PipelineOutputs | undefined,
): Entity {
  // Not a url: location, which the catalog would offer as the entity's source to view.
  const location = `clickstream-project:${project.id}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: project.id,
      title: project.name,
      description: project.description || undefined,
      annotations: {
        [CLICKSTREAM_PROJECT_ID_ANNOTATION]: project.id,
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
      tags: ['clickstream', project.target.type],
      labels: { 'clickstream/status': project.status.toLowerCase() },
      links: [
        ...(outputs?.endpointUrl
          ? [
              {
                url: outputs.endpointUrl,
                title: 'Collect endpoint',
                icon: 'dashboard',
              },
            ]
          : []),
        ...(outputs?.dashboards ?? []).map(d => ({
          url: d.url,
          title: d.name,
          icon: 'dashboard',
        })),
      ],
    },
    spec: {
      type: CLICKSTREAM_PROJECT_ENTITY_TYPE,
      owner: project.owner,
      lifecycle: project.environment === 'Prod' ? 'production' : 'experimental',
    },
  };
}
