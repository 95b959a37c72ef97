/**
 * Every status a Clickstream pipeline can be shown with. The values follow the
 * reference solution (Clickstream Analytics on AWS), plus `NotDeployed` for a
 * project whose pipeline has never been deployed.
 * @public
 */
export const PIPELINE_STATUSES = [
  'NotDeployed',
  'Creating',
  'Active',
  'Updating',
  'Deleting',
  'Deleted',
  'Failed',
  'Warning',
] as const;

/**
 * The status of a Clickstream pipeline, derived by {@link derivePipelineStatus}.
 * @public
 */
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];

/**
 * True while a lifecycle action is under way (creating, updating or deleting): nothing else may
 * start, and views poll more often.
 * @public
 */
export function isPipelineBusy(status: PipelineStatus): boolean {
  return (
    status === 'Creating' || status === 'Updating' || status === 'Deleting'
  );
}

/**
 * True when the pipeline runs: deployed and not being changed (Active, or Warning when a part
 * of it needs attention). Updating and deleting start from here.
 * @public
 */
export function isPipelineRunning(status: PipelineStatus): boolean {
  return status === 'Active' || status === 'Warning';
}

/**
 * True when the warehouse answers queries: a running pipeline, and one being updated (an
 * update keeps the warehouse serving).
 * @public
 */
export function isPipelineReadable(status: PipelineStatus): boolean {
  return isPipelineRunning(status) || status === 'Updating';
}

/**
 * True when the pipeline's resources exist or are being made (anything but never deployed
 * or deleted).
 * @public
 */
export function isPipelineDeployed(status: PipelineStatus): boolean {
  return status !== 'NotDeployed' && status !== 'Deleted';
}

/**
 * What was last done to a pipeline; it decides whether work in progress reads
 * as creating, updating or deleting, and whether a failure is fatal.
 * @public
 */
export const PIPELINE_ACTIONS = [
  'Create',
  'Update',
  'Upgrade',
  'Delete',
] as const;

/**
 * One of {@link PIPELINE_ACTIONS}.
 * @public
 */
export type PipelineAction = (typeof PIPELINE_ACTIONS)[number];

/**
 * States of the deployment run (the workflow that creates, updates or deletes
 * the stacks); they mirror AWS Step Functions execution states.
 * @public
 */
export const EXECUTION_STATES = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
] as const;

/**
 * One of {@link EXECUTION_STATES}.
 * @public
 */
export type ExecutionState = (typeof EXECUTION_STATES)[number];

/**
 * The state of one stack of a pipeline.
 * @public
 */
export interface StackState {
  name: string;
  /** A CloudFormation stack status such as `CREATE_COMPLETE` or `UPDATE_IN_PROGRESS`. */
  status: string;
  /** The template version the stack was last deployed with. */
  templateVersion?: string;
  /** Why the stack is in its status, for display only. */
  reason?: string;
}

/**
 * Everything {@link derivePipelineStatus} needs to know about a pipeline.
 * @public
 */
export interface PipelineStatusInput {
  /** What was last done to the pipeline; inferred from the stacks when missing. */
  lastAction?: PipelineAction;
  /** The state of the latest deployment run, if any. */
  execution?: ExecutionState;
  stacks: StackState[];
  /** The template version the pipeline expects its stacks to be on. */
  templateVersion?: string;
}

const FAILED_EXECUTIONS: ReadonlySet<ExecutionState> = new Set([
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
]);

// A stack on another template version than the pipeline's means an upgrade is
// pending or went wrong; a missing version on either side tells us nothing.
function hasVersionMismatch(input: PipelineStatusInput): boolean {
  const expected = input.templateVersion;
  if (!expected) {
    return false;
  }
  return input.stacks.some(
    stack => !!stack.templateVersion && stack.templateVersion !== expected,
  );
}

/**
 * The pipeline's last action, or, when it was not recorded, the action its
 * stacks point to: a version mismatch means an upgrade, stacks in an `UPDATE*`
 * status an update, stacks in a `DELETE*` status a deletion, and anything else
 * a creation.
 * @public
 */
export function inferLastAction(input: PipelineStatusInput): PipelineAction {
  if (input.lastAction) {
    return input.lastAction;
  }
  if (hasVersionMismatch(input)) {
    return 'Upgrade';
  }
  if (input.stacks.some(stack => stack.status.startsWith('UPDATE'))) {
    return 'Update';
  }
  if (input.stacks.some(stack => stack.status.startsWith('DELETE'))) {
    return 'Delete';
  }
  return 'Create';
}

// The status before rule 5 (failed updates keep serving) is applied.
function rawStatus(
  input: PipelineStatusInput,
  lastAction: PipelineAction,
): PipelineStatus {
  const { execution, stacks } = input;

  // The run's own verdict wins: stacks may still look busy after it gave up.
  if (execution && FAILED_EXECUTIONS.has(execution)) {
    return 'Failed';
  }

  // Work in progress is reported before any stack failure, since the run may
  // still recover (a rollback, a retry) and the final state is not known yet.
  if (
    execution === 'RUNNING' ||
    stacks.some(stack => stack.status.endsWith('_IN_PROGRESS'))
  ) {
    if (lastAction === 'Create') {
      return 'Creating';
    }
    return lastAction === 'Delete' ? 'Deleting' : 'Updating';
  }

  // The run succeeded or there is none: the stacks decide.
  if (stacks.some(stack => stack.status.endsWith('_FAILED'))) {
    return 'Failed';
  }
  // A completed rollback means the requested change did not happen.
  // ROLLBACK_COMPLETE (a rolled-back create) counts too: the stack is not serving.
  if (stacks.some(stack => stack.status.endsWith('ROLLBACK_COMPLETE'))) {
    return 'Failed';
  }
  if (
    stacks.length > 0 &&
    stacks.every(stack => stack.status === 'DELETE_COMPLETE')
  ) {
    return 'Deleted';
  }
  if (stacks.length === 0 && lastAction === 'Delete') {
    return 'Deleted';
  }
  // Healthy, but not on the expected version: the pipeline needs attention.
  if (hasVersionMismatch(input)) {
    return 'Warning';
  }
  return 'Active';
}

/**
 * Derives a pipeline's status from its last action, its latest deployment run
 * and the states of its stacks, following the rules of the reference solution.
 * @public
 */
export function derivePipelineStatus(
  input: PipelineStatusInput,
): PipelineStatus {
  if (!input.lastAction && !input.execution && input.stacks.length === 0) {
    return 'NotDeployed';
  }
  const lastAction = inferLastAction(input);
  const status = rawStatus(input, lastAction);
  // A failed update or upgrade leaves the previous version serving, so the
  // pipeline is degraded rather than down.
  if (
    status === 'Failed' &&
    (lastAction === 'Update' || lastAction === 'Upgrade')
  ) {
    return 'Warning';
  }
  return status;
}

/**
 * The modules of a pipeline, in the order data flows through them. Each is deployed as a stack
 * named after it (on AWS, `clickstream-<project>-<module>`).
 * @public
 */
export const PIPELINE_MODULES = [
  'ingestion',
  'buffer',
  'processing',
  'modeling',
  'reporting',
] as const;

/** One of {@link PIPELINE_MODULES}. @public */
export type PipelineModule = (typeof PIPELINE_MODULES)[number];
