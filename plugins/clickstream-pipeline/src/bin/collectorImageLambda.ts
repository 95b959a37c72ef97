/*
 * A CloudFormation custom resource (through the CDK's provider framework) of the ingestion stack,
 * when the collector's image is built in the project's account: it runs the stack's CodeBuild
 * project, which pushes the image to the stack's repository, and waits for it, so the service
 * only starts tasks once their image exists. For backends without Docker (in Kubernetes, say).
 *
 * Resource properties: ProjectName, and ImageUri (the tag changes with the image's sources, so a
 * new image means an update, and a new build). Attribute: BuildId.
 */
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { runImageBuild } from '../lambda/imageBuild';

const codebuild = new CodeBuildClient({});

export interface CollectorImageResourceEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: { ProjectName: string; ImageUri: string };
}

export async function handler(
  event: CollectorImageResourceEvent,
  context: { getRemainingTimeInMillis(): number },
) {
  // The repository is emptied and removed with the stack: nothing to undo here.
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const { ProjectName, ImageUri } = event.ResourceProperties;
  const { buildId } = await runImageBuild(codebuild, ProjectName, {
    pollMs: 10_000,
    remainingMs: () => context.getRemainingTimeInMillis(),
  });
  return { PhysicalResourceId: ImageUri, Data: { BuildId: buildId } };
}
