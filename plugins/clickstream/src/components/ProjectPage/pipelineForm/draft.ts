import {
  PipelineConfig,
  pipelineConfigIssues,
  pipelineConfigSchema,
  ProjectTargetType,
  validationMessages,
} from '@clickstream/backstage-plugin-clickstream-common';

/** A configuration being edited: the API's JSON, possibly not valid yet. */
export type Draft = Record<string, unknown>;

/** One problem with a draft, tied to the field it is about where one is named. */
export interface DraftProblem {
  /** A dotted path (`ingestion.sink.clusterArn`); undefined when no single field is at fault. */
  field?: string;
  message: string;
}

/** The value at a dotted path, or undefined. */
export function getIn(draft: unknown, path: string): unknown {
  let value: unknown = draft;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * A copy of the draft with the value at a dotted path replaced, objects on the way created
 * as needed; `undefined` removes the field.
 */
export function setIn(draft: Draft, path: string, value: unknown): Draft {
  const [key, ...rest] = path.split('.');
  const copy: Draft = { ...draft };
  if (rest.length === 0) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
    return copy;
  }
  const inner = copy[key];
  copy[key] = setIn(
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? (inner as Draft)
      : {},
    rest.join('.'),
    value,
  );
  return copy;
}

/** The configuration a valid draft stands for (defaults filled), or undefined. */
export function parseDraft(draft: Draft): PipelineConfig | undefined {
  const result = pipelineConfigSchema.safeParse(draft);
  return result.success ? result.data : undefined;
}

/**
 * What is wrong with a draft, in the API's words: the schema's problems with their fields,
 * then the rules that tie the configuration to the project's target.
 */
export function draftProblems(
  draft: Draft,
  target: ProjectTargetType,
): DraftProblem[] {
  const result = pipelineConfigSchema.safeParse(draft);
  if (!result.success) {
    const messages = validationMessages(result.error);
    return result.error.issues.map((issue, i) => ({
      field: issue.path.length > 0 ? issue.path.join('.') : undefined,
      message: messages[i],
    }));
  }
  // The target's rules name their field first: "ingestion.vpc.vpcId is required with ...".
  return pipelineConfigIssues(result.data, target).map(message => ({
    field: /^([a-zA-Z]+(?:\.[a-zA-Z]+)+)\b/.exec(message)?.[1],
    message,
  }));
}

/** The messages about one field, and the fields under it. */
export function problemsAt(problems: DraftProblem[], field: string): string[] {
  return problems
    .filter(
      p => p.field && (p.field === field || p.field.startsWith(`${field}.`)),
    )
    .map(p => p.message);
}
