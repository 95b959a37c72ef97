import {
  BatchGetBuildsCommand,
  Build,
  BuildPhase,
  CodeBuildClient,
  StartBuildCommand,
  StatusType,
} from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../bin/collectorImageLambda';
import { runImageBuild } from './imageBuild';

const codebuild = mockClient(CodeBuildClient);
const buildId =
  'clickstream-shop-collector-image:6b1e2c0d-0f7a-4a3c-9e52-1d2f3a4b5c6d';
const deepLink =
  'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logEvent:group=/aws/codebuild/shop';
// Shapes as StartBuild and BatchGetBuilds document them, trimmed to what the wait reads.
const build = (buildStatus: StatusType, phases: BuildPhase[] = []): Build => ({
  id: buildId,
  buildStatus,
  phases,
  logs: { deepLink },
});
const plenty = { pollMs: 1, remainingMs: () => 600_000 };

describe('runImageBuild', () => {
  beforeEach(() => codebuild.reset());

  it('starts the project and waits until the build succeeds', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    codebuild
      .on(BatchGetBuildsCommand)
      .resolvesOnce({ builds: [build('IN_PROGRESS')] })
      .resolvesOnce({ builds: [build('SUCCEEDED')] });
    await expect(
      runImageBuild(codebuild as any, 'shop-collector-image', plenty),
    ).resolves.toEqual({ buildId });
    expect(codebuild.commandCalls(StartBuildCommand)[0].args[0].input).toEqual({
      projectName: 'shop-collector-image',
    });
    expect(
      codebuild
        .commandCalls(BatchGetBuildsCommand)
        .map(call => call.args[0].input),
    ).toEqual([{ ids: [buildId] }, { ids: [buildId] }]);
  });

  it('fails with the failed phase, its message and the logs', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    codebuild.on(BatchGetBuildsCommand).resolves({
      builds: [
        build('FAILED', [
          { phaseType: 'PRE_BUILD', phaseStatus: 'SUCCEEDED' },
          {
            phaseType: 'BUILD',
            phaseStatus: 'FAILED',
            contexts: [
              {
                statusCode: 'COMMAND_EXECUTION_ERROR',
                message:
                  'Error while executing command: docker push. Reason: exit status 1',
              },
            ],
          },
        ]),
      ],
    });
    await expect(
      runImageBuild(codebuild as any, 'shop-collector-image', plenty),
    ).rejects.toThrow(
      `the collector image build ${buildId} ended FAILED in its BUILD phase: Error while executing command: docker push. Reason: exit status 1 (logs: ${deepLink})`,
    );
  });

  it('gives up before its own deadline, saying the build goes on', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: build('IN_PROGRESS') });
    codebuild
      .on(BatchGetBuildsCommand)
      .resolves({ builds: [build('IN_PROGRESS')] });
    let left = 60_000;
    await expect(
      runImageBuild(codebuild as any, 'shop-collector-image', {
        pollMs: 1,
        remainingMs: () => (left -= 20_000),
      }),
    ).rejects.toThrow(/is still running .*deploy again once it has finished/);
    expect(codebuild.commandCalls(BatchGetBuildsCommand)).toHaveLength(2);
  });
});

describe('the collector image custom resource', () => {
  beforeEach(() => codebuild.reset());
  const context = { getRemainingTimeInMillis: () => 600_000 };
  const properties = {
    ProjectName: 'shop-collector-image',
    ImageUri:
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/clickstream-shop-collector:abc123',
  };

  it('builds on create and names the image it pushed', async () => {
    codebuild.on(StartBuildCommand).resolves({ build: build('SUCCEEDED') });
    await expect(
      handler(
        { RequestType: 'Create', ResourceProperties: properties },
        context,
      ),
    ).resolves.toEqual({
      PhysicalResourceId: properties.ImageUri,
      Data: { BuildId: buildId },
    });
  });

  it('builds nothing on delete', async () => {
    await expect(
      handler(
        {
          RequestType: 'Delete',
          PhysicalResourceId: properties.ImageUri,
          ResourceProperties: properties,
        },
        context,
      ),
    ).resolves.toEqual({ PhysicalResourceId: properties.ImageUri });
    expect(codebuild.calls()).toHaveLength(0);
  });
});
