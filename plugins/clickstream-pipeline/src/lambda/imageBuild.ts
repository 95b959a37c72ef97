import {
  BatchGetBuildsCommand,
  Build,
  CodeBuildClient,
  StartBuildCommand,
} from '@aws-sdk/client-codebuild';

/** How {@link runImageBuild} waits. */
export interface ImageBuildWait {
  /** Between two looks at the build. */
  pollMs: number;
  /** Gives up (the build goes on) when this many milliseconds are left; the caller's deadline. */
  remainingMs(): number;
}

/**
 * Starts a build of a CodeBuild project (the ingestion stack's collector image) and waits for it,
 * or fails with what went wrong and where its logs are: a deployment must not start tasks whose
 * image was never pushed.
 */
export async function runImageBuild(
  codebuild: CodeBuildClient,
  projectName: string,
  wait: ImageBuildWait,
): Promise<{ buildId: string }> {
  const started = await codebuild.send(new StartBuildCommand({ projectName }));
  const buildId = started.build?.id;
  if (!buildId) {
    throw new Error(`CodeBuild started no build of project ${projectName}`);
  }
  let build: Build | undefined = started.build;
  for (;;) {
    const status = build?.buildStatus;
    if (status === 'SUCCEEDED') return { buildId };
    if (build && status && status !== 'IN_PROGRESS') {
      throw new Error(
        `the collector image build ${buildId} ended ${status}${failedPhase(
          build,
        )}${logsAt(build)}`,
      );
    }
    if (wait.remainingMs() < wait.pollMs + 5_000) {
      throw new Error(
        `the collector image build ${buildId} is still running and this deployment cannot wait longer; deploy again once it has finished${logsAt(
          build,
        )}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, wait.pollMs));
    const { builds } = await codebuild.send(
      new BatchGetBuildsCommand({ ids: [buildId] }),
    );
    build = builds?.[0];
  }
}

function failedPhase(build: Build): string {
  const phase = build.phases?.find(
    p => p.phaseStatus && p.phaseStatus !== 'SUCCEEDED',
  );
  if (!phase) return '';
  const message = phase.contexts?.find(c => c.message)?.message;
  return ` in its ${phase.phaseType} phase${message ? `: ${message}` : ''}`;
}

function logsAt(build: Build | undefined): string {
  const link = build?.logs?.deepLink;
  return link ? ` (logs: ${link})` : '';
}
