import { Entity } from '@backstage/catalog-model';
import { CLICKSTREAM_PROJECT_ID_ANNOTATION } from '@clickstream/backstage-plugin-clickstream-common';

/**
 * Whether an entity stands for a Clickstream project (it carries the `clickstream/project-id`
 * annotation): use it in `EntitySwitch.Case if={isClickstreamAvailable}`.
 * @public
 */
export function isClickstreamAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[CLICKSTREAM_PROJECT_ID_ANNOTATION],
  );
}

/** The project id an entity is annotated with, or undefined. */
export function projectIdOf(entity: Entity): string | undefined {
  return (
    entity.metadata.annotations?.[CLICKSTREAM_PROJECT_ID_ANNOTATION] ||
    undefined
  );
}
