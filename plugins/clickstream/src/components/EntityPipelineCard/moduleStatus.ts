import {
  Pipeline,
  PIPELINE_MODULES,
  PipelineModule,
} from '@clickstream/backstage-plugin-clickstream-common';

export type ModuleHealth = 'ok' | 'running' | 'failed' | 'removed' | 'absent';

export interface ModuleStatus {
  module: PipelineModule;
  health: ModuleHealth;
  /** The stack status it was read from, when there is a stack. */
  stackStatus?: string;
  stackName?: string;
  reason?: string;
}

/** What one CloudFormation-style stack status means for its module. */
export function healthOf(stackStatus: string): ModuleHealth {
  if (stackStatus.endsWith('_IN_PROGRESS')) return 'running';
  if (stackStatus.endsWith('_FAILED')) return 'failed';
  if (stackStatus.endsWith('ROLLBACK_COMPLETE')) return 'failed';
  if (stackStatus === 'DELETE_COMPLETE') return 'removed';
  if (stackStatus.endsWith('_COMPLETE')) return 'ok';
  return 'absent';
}

/**
 * Each module's status, from the stack named after it (AWS stack names end with the module,
 * like `clickstream-shop-ingestion`). A module without a stack is absent: not deployed, or
 * not part of this pipeline (reporting off).
 */
export function moduleStatuses(pipeline: Pipeline): ModuleStatus[] {
  return PIPELINE_MODULES.map(module => {
    const stack = pipeline.stacks.find(
      s => s.name === module || s.name.toLowerCase().endsWith(`-${module}`),
    );
    if (!stack) return { module, health: 'absent' };
    return {
      module,
      health: healthOf(stack.status),
      stackStatus: stack.status,
      stackName: stack.name,
      reason: stack.reason,
    };
  });
}

/** What the embedded runtime's components are doing, in words for its target. */
const EMBEDDED_WORDS: Record<string, string> = {
  CREATE_COMPLETE: 'Running',
  UPDATE_COMPLETE: 'Running',
  CREATE_IN_PROGRESS: 'Starting',
  UPDATE_IN_PROGRESS: 'Restarting',
  DELETE_IN_PROGRESS: 'Stopping',
  DELETE_COMPLETE: 'Removed',
};

/**
 * A module's status in the words of its target: CloudFormation's for an AWS stack (what the
 * console shows), plain words for the embedded runtime, which has no stacks.
 */
export function moduleStatusText(
  status: ModuleStatus,
  target: 'local' | 'aws',
): string {
  if (!status.stackStatus) return 'Not deployed';
  if (target === 'aws') return status.stackStatus;
  if (status.health === 'failed') return 'Failed';
  return EMBEDDED_WORDS[status.stackStatus] ?? status.stackStatus;
}

/** The CloudFormation console's page for a stack. */
export function cloudFormationUrl(region: string, stackName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks?filteringText=${encodeURIComponent(
    stackName,
  )}`;
}
