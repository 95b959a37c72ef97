import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStacksCommand,
  Stack,
} from '@aws-sdk/client-cloudformation';
import { StackState } from '@clickstream/backstage-plugin-clickstream-common';
import { DeploymentState } from '@clickstream/backstage-plugin-clickstream-node';
import { stackName, TEMPLATE_VERSION_TAG } from '@clickstream/infra';

/** The stacks of a project, by module, in the order they are deployed. */
export const STACK_MODULES = [
  'buffer',
  'ingestion',
  'data-lake',
  'processing',
  'modeling',
  'reporting',
  'metrics',
] as const;

/**
 * The order stacks are deleted in: each level only after the one before is gone, the reverse
 * of the app's stack dependencies (a stack goes after those that read its parameters).
 */
export const STACK_DELETION_LEVELS: ReadonlyArray<
  ReadonlyArray<(typeof STACK_MODULES)[number]>
> = [
  ['reporting', 'metrics'],
  ['modeling', 'processing'],
  ['ingestion', 'data-lake'],
  ['buffer'],
];

/**
 * Deletes every stack a project may have in CloudFormation (or only `modules`), by name and
 * level: no synthesis, so it needs neither the bundles nor Docker, and it also removes a stack
 * the configuration no longer has (reporting turned off). Waits for each level; a stack whose
 * deletion fails stops it with CloudFormation's reason.
 */
export async function deleteProjectStacks(
  client: CloudFormationClient,
  projectId: string,
  options: {
    pollMs?: number;
    modules?: ReadonlyArray<(typeof STACK_MODULES)[number]>;
  } = {},
): Promise<void> {
  const pollMs = options.pollMs ?? 10_000;
  for (const level of STACK_DELETION_LEVELS) {
    const modules = level.filter(m => options.modules?.includes(m) ?? true);
    await Promise.all(
      modules.map(async module => {
        const name = stackName(projectId, module);
        let stack = await describe(client, name);
        if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return;
        if (stack.StackStatus !== 'DELETE_IN_PROGRESS') {
          await client.send(new DeleteStackCommand({ StackName: name }));
        }
        for (;;) {
          await new Promise(resolve => setTimeout(resolve, pollMs));
          stack = await describe(client, name);
          const status = stack?.StackStatus;
          if (!status || status === 'DELETE_COMPLETE') return;
          if (status === 'DELETE_FAILED') {
            throw new Error(
              `CloudFormation could not delete ${name}: ${
                stack?.StackStatusReason ?? 'no reason given'
              }`,
            );
          }
        }
      }),
    );
  }
}

async function describe(
  client: CloudFormationClient,
  name: string,
): Promise<Stack | undefined> {
  try {
    const { Stacks } = await client.send(
      new DescribeStacksCommand({ StackName: name }),
    );
    return Stacks?.[0];
  } catch (e) {
    // CloudFormation answers a ValidationError for a stack that does not exist (any more).
    if (
      (e as Error).name === 'ValidationError' &&
      /does not exist/.test(String((e as Error).message))
    ) {
      return undefined;
    }
    throw e;
  }
}

const output = (stack: Stack | undefined, key: string) =>
  stack?.Outputs?.find(o => o.OutputKey === key)?.OutputValue;

/** One output of a project's module stack; undefined when the stack or the output is missing. */
export async function readStackOutput(
  client: CloudFormationClient,
  projectId: string,
  module: (typeof STACK_MODULES)[number],
  key: string,
): Promise<string | undefined> {
  return output(await describe(client, stackName(projectId, module)), key);
}

/**
 * A project's pipeline as CloudFormation sees it: each module's stack with its status and
 * reason, the run in progress while any stack is, and the outputs the entity page shows (the
 * collector's endpoint, each app's QuickSight dashboard, the CloudWatch dashboard). Undefined
 * when no stack exists.
 */
export async function readDeploymentState(
  client: CloudFormationClient,
  projectId: string,
  region: string,
): Promise<DeploymentState | undefined> {
  const found = await Promise.all(
    STACK_MODULES.map(async module => ({
      module,
      stack: await describe(client, stackName(projectId, module)),
    })),
  );
  const existing = found.filter(f => f.stack);
  if (existing.length === 0) return undefined;

  const stacks: StackState[] = existing.map(({ stack }) => {
    const version = stack!.Tags?.find(
      t => t.Key === TEMPLATE_VERSION_TAG,
    )?.Value;
    return {
      name: stack!.StackName!,
      status: String(stack!.StackStatus),
      ...(version ? { templateVersion: version } : {}),
      ...(stack!.StackStatusReason ? { reason: stack!.StackStatusReason } : {}),
    };
  });
  const versions = stacks.flatMap(s =>
    s.templateVersion ? [s.templateVersion] : [],
  );
  const byModule = Object.fromEntries(found.map(f => [f.module, f.stack]));
  const dashboard = output(byModule.metrics, 'DashboardName');
  const cloudWatch = dashboard
    ? [
        {
          name: `CloudWatch: ${dashboard}`,
          url: `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${encodeURIComponent(
            dashboard,
          )}`,
        },
      ]
    : [];
  const failed = stacks.find(
    s => s.status.endsWith('_FAILED') || s.status.endsWith('ROLLBACK_COMPLETE'),
  );
  return {
    execution: stacks.some(s => s.status.endsWith('_IN_PROGRESS'))
      ? 'RUNNING'
      : 'SUCCEEDED',
    stacks,
    outputs: {
      endpointUrl: output(byModule.ingestion, 'EndpointUrl'),
      dashboards: [
        ...quickSightDashboards(output(byModule.reporting, 'Dashboards')),
        ...cloudWatch,
      ],
    },
    ...(versions.length > 0
      ? { templateVersion: versions.sort(compareVersions)[0] }
      : {}),
    ...(failed?.reason ? { error: `${failed.name}: ${failed.reason}` } : {}),
  };
}

/** Orders versions like `0.9.1` < `0.10.0` (numeric parts compared as numbers). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? '', pb[i] ?? ''];
    const diff =
      /^\d+$/.test(x) && /^\d+$/.test(y)
        ? Number(x) - Number(y)
        : x.localeCompare(y);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The reporting stack's `Dashboards` output: each app's QuickSight dashboard. */
function quickSightDashboards(
  value: string | undefined,
): Array<{ name: string; url: string }> {
  if (!value) return [];
  try {
    return (JSON.parse(value) as Array<{ appId: string; url: string }>).map(
      d => ({ name: `QuickSight: ${d.appId}`, url: d.url }),
    );
  } catch {
    return []; // a stack of another version; the CloudWatch link still shows
  }
}
