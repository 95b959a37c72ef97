import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { bundleCustomResource } from './bundleCustomResource';

/** Where {@link AccountBuiltImage} builds from. */
export interface AccountBuiltImageProps {
  /** The build context: a directory with a Dockerfile. */
  directory: string;
  /** Patterns of the directory left out of the context (as for a Docker image asset). */
  exclude?: string[];
  /** The pipeline's Lambda bundle: its `collectorImage.handler` runs and waits for the build. */
  code: lambda.Code;
}

/**
 * The base image, from ECR Public's copy of Docker's official images: builds in CodeBuild share
 * addresses, and Docker Hub limits anonymous pulls per address.
 */
const BASE_IMAGE = 'public.ecr.aws/docker/library/node:22-bookworm-slim';

/**
 * A container image built in the stack's own account at deployment, for deploying hosts without
 * Docker (a Backstage in Kubernetes, say). The context is uploaded as a file asset; a CodeBuild
 * project builds it for x86-64 and pushes it to a repository of the stack, tagged with the
 * context's hash; a custom resource runs that build and waits for it, and the task definition
 * waits for the custom resource, so no task starts before its image exists.
 */
export class AccountBuiltImage extends ecs.ContainerImage {
  constructor(private readonly props: AccountBuiltImageProps) {
    super();
  }

  bind(
    scope: Construct,
    container: ecs.ContainerDefinition,
  ): ecs.ContainerImageConfig {
    const stack = Stack.of(scope);
    const context = new s3assets.Asset(stack, 'CollectorImageContext', {
      path: this.props.directory,
      exclude: this.props.exclude,
    });
    const repository = new ecr.Repository(stack, 'CollectorImageRepository', {
      imageScanOnPush: true,
      lifecycleRules: [{ maxImageCount: 5 }],
      removalPolicy: RemovalPolicy.DESTROY,
      emptyOnDelete: true,
    });
    const imageUri = repository.repositoryUriForTag(context.assetHash);

    const project = new codebuild.Project(stack, 'CollectorImageBuild', {
      description: `Builds the Clickstream collector image for ${stack.stackName}`,
      source: codebuild.Source.s3({
        bucket: context.bucket,
        path: context.s3ObjectKey,
      }),
      environment: {
        buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
        computeType: codebuild.ComputeType.SMALL,
        // Docker builds need the privileged mode.
        privileged: true,
      },
      environmentVariables: { IMAGE_URI: { value: imageUri } },
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        phases: {
          pre_build: {
            commands: [
              // The registry is the image URI up to its first slash.
              'aws ecr get-login-password --region "$AWS_DEFAULT_REGION" | docker login --username AWS --password-stdin "${IMAGE_URI%%/*}"',
            ],
          },
          build: {
            commands: [
              `docker build --platform linux/amd64 --build-arg BASE_IMAGE=${BASE_IMAGE} -t "$IMAGE_URI" .`,
              'docker push "$IMAGE_URI"',
            ],
          },
        },
      }),
      timeout: Duration.minutes(20),
      logging: {
        cloudWatch: {
          logGroup: new logs.LogGroup(stack, 'CollectorImageBuildLogs', {
            retention: logs.RetentionDays.ONE_MONTH,
            removalPolicy: RemovalPolicy.DESTROY,
          }),
        },
      },
    });
    repository.grantPullPush(project);

    const build = bundleCustomResource(stack, 'CollectorImageBuilder', {
      code: this.props.code,
      handler: 'collectorImage.handler',
      resourceId: 'CollectorImage',
      properties: { ProjectName: project.projectName, ImageUri: imageUri },
      grant: fn =>
        fn.addToRolePolicy(
          new iam.PolicyStatement({
            actions: ['codebuild:StartBuild', 'codebuild:BatchGetBuilds'],
            resources: [project.projectArn],
          }),
        ),
    });
    container.taskDefinition.node.addDependency(build);
    repository.grantPull(container.taskDefinition.obtainExecutionRole());

    NagSuppressions.addResourceSuppressions(
      project,
      [
        {
          id: 'AwsSolutions-CB3',
          reason: 'Building a Docker image needs the privileged mode.',
        },
        {
          id: 'AwsSolutions-CB4',
          reason:
            'The build has no artifacts: it pushes the image to ECR, which encrypts it at rest.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "The CDK's grants to a build: reading its source asset, writing its own log streams and reports, and ecr:GetAuthorizationToken, which takes no resource.",
          appliesTo: [
            'Action::s3:GetBucket*',
            'Action::s3:GetObject*',
            'Action::s3:List*',
            { regex: '/^Resource::.*:log-group:\\/aws\\/codebuild\\/.*:\\*$/' },
            { regex: '/^Resource::.*:report-group\\/.*-\\*$/' },
            'Resource::*',
          ],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      container.taskDefinition.obtainExecutionRole(),
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Pulling from ECR needs ecr:GetAuthorizationToken, which takes no resource.',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    NagSuppressions.addStackSuppressions(stack, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'The image build (a CDK custom resource) uses the AWS-managed basic execution role for its own logs only.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "The provider framework invokes the image build function's versions and aliases (the CDK's grant).",
        appliesTo: [
          {
            regex:
              '/^Resource::<CollectorImageBuilderFunction[A-Z0-9]+\\.Arn>:\\*$/',
          },
        ],
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The provider framework's Lambda runtime is chosen by the CDK and updated with aws-cdk-lib.",
      },
    ]);
    return { imageName: imageUri };
  }
}
