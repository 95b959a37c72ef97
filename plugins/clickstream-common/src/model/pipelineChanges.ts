import { PipelineConfig } from './pipeline';
import { PIPELINE_MODULES, PipelineModule } from './status';

/**
 * Which modules a configuration field is deployed with, most specific prefix first. The
 * buffer's sink feeds the collector and the processor; the VPC hosts the collector, the
 * warehouse and the dashboards' connection; the schedule also drives the loads.
 */
const FIELD_MODULES: ReadonlyArray<[string, PipelineModule[]]> = [
  ['ingestion.sink', ['buffer', 'ingestion', 'processing']],
  ['ingestion.vpc', ['ingestion', 'modeling', 'reporting']],
  ['ingestion.corsOrigins', ['buffer', 'ingestion']],
  ['ingestion', ['ingestion']],
  ['processing.scheduleExpression', ['processing', 'modeling']],
  ['processing', ['processing']],
  ['modeling.warehouse', ['modeling', 'reporting']],
  ['modeling.dataRetentionDays', ['processing', 'modeling']],
  ['modeling', ['modeling']],
  ['reporting', ['reporting']],
];

/** What a configuration change touches: its fields, and the modules that redeploy for it. @public */
export interface PipelineChanges {
  /** The changed fields, as dotted paths (`ingestion.sink.type`); lists count as one field. */
  fields: string[];
  /** The modules an update applies them to, in the order data flows through them. */
  modules: PipelineModule[];
}

/**
 * The difference between two configurations of a pipeline, for a form to say what saving and
 * updating will change.
 * @public
 */
export function pipelineChanges(
  before: PipelineConfig,
  after: PipelineConfig,
): PipelineChanges {
  const fields: string[] = [];
  collectChanges(before, after, '', fields);
  const touched = new Set<PipelineModule>();
  for (const field of fields) {
    const rule = FIELD_MODULES.find(
      ([prefix]) => field === prefix || field.startsWith(`${prefix}.`),
    );
    for (const module of rule?.[1] ?? []) touched.add(module);
  }
  return {
    fields,
    modules: PIPELINE_MODULES.filter(m => touched.has(m)),
  };
}

function collectChanges(
  before: unknown,
  after: unknown,
  path: string,
  into: string[],
) {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([
      ...Object.keys(before),
      ...Object.keys(after),
    ])) {
      collectChanges(
        before[key],
        after[key],
        path ? `${path}.${key}` : key,
        into,
      );
    }
  } else if (JSON.stringify(before) !== JSON.stringify(after)) {
    into.push(path);
  }
}
