import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataLakeStack } from './stacks/DataLakeStack';
import { buildClickstreamApp, stackName } from './app';

describe('buildClickstreamApp', () => {
  it('synthesizes a data lake stack named after the project', () => {
    const app = buildClickstreamApp({
      projectId: 'my_shop',
      dataRetentionDays: 30,
    });
    const assembly = app.synth();

    expect(assembly.stacks.map(s => s.stackName)).toEqual([
      'clickstream-my-shop-data-lake',
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

  it('refuses an invalid project id before creating anything', () => {
    expect(() => buildClickstreamApp({ projectId: 'My Shop' })).toThrow(
      /project id must start with a lower-case letter/,
    );
  });

  it('refuses a retention that is not a positive whole number of days', () => {
    expect(() =>
      buildClickstreamApp({ projectId: 'shop', dataRetentionDays: 0 }),
    ).toThrow(/dataRetentionDays must be a whole number of days, at least 1/);
  });
});
