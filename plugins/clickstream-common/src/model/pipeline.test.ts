import {
  defaultPipelineConfig,
  pipelineConfigIssues,
  pipelineConfigSchema,
} from './pipeline';

describe('pipelineConfigSchema: trafficSourceRules', () => {
  it('defaults to no rules of the project', () => {
    expect(
      pipelineConfigSchema.parse({}).processing.trafficSourceRules,
    ).toEqual({
      categories: [],
      channels: [],
    });
  });

  it('takes category and channel rules', () => {
    const rules = {
      categories: [
        { domain: 'partner.example', source: 'partner', category: 'Shopping' },
      ],
      channels: [{ channel: 'Partners', source: '^partner$' }],
    };
    expect(
      pipelineConfigSchema.parse({ processing: { trafficSourceRules: rules } })
        .processing.trafficSourceRules,
    ).toEqual(rules);
  });

  it('refuses a pattern that is not a regular expression, naming the field', () => {
    const result = pipelineConfigSchema.safeParse({
      processing: {
        trafficSourceRules: { channels: [{ channel: 'X', medium: '(' }] },
      },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map(i => i.message)).toEqual([
      'trafficSourceRules.channels.medium must be a valid RE2 regular expression (error parsing regexp: missing closing ): `(`)',
    ]);
  });

  it.each([
    ['a backreference', '(a)\\1'],
    ['a lookahead', '^(?=paid).*'],
  ])(
    'refuses %s: patterns run in linear time, with RE2 semantics',
    (_what, pattern) => {
      const result = pipelineConfigSchema.safeParse({
        processing: {
          trafficSourceRules: { channels: [{ channel: 'X', source: pattern }] },
        },
      });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toMatch(
        /^trafficSourceRules\.channels\.source must be a valid RE2 regular expression/,
      );
    },
  );
});

describe('pipelineConfigSchema: the network and firewall of an aws collector', () => {
  it('defaults to a new VPC and no firewall', () => {
    const { ingestion } = pipelineConfigSchema.parse({});
    expect(ingestion.vpc).toBeNull();
    expect(ingestion.waf).toBeNull();
    expect(
      pipelineConfigSchema.parse({ ingestion: { waf: {} } }).ingestion.waf,
    ).toEqual({ requestsPer5MinutesPerIp: 3000 });
  });

  it('says what is wrong with a VPC id or a rate limit', () => {
    const result = pipelineConfigSchema.safeParse({
      ingestion: {
        vpc: { vpcId: 'my-vpc' },
        waf: { requestsPer5MinutesPerIp: 5 },
      },
    });
    expect(result.error?.issues.map(i => i.message)).toEqual([
      'ingestion.vpc.vpcId must be a VPC id like vpc-0123456789abcdef0',
      'ingestion.waf.requestsPer5MinutesPerIp must be at least 100',
    ]);
  });

  it('refuses them for a local project, whose collector runs in the backend', () => {
    const config = pipelineConfigSchema.parse({
      ingestion: { vpc: { vpcId: 'vpc-0123456789abcdef0' }, waf: {} },
    });
    expect(pipelineConfigIssues(config, 'local')).toEqual([
      "ingestion.vpc applies to aws projects only: a local project's collector runs in the backend",
      "ingestion.waf applies to aws projects only: a local project's collector runs in the backend",
    ]);
  });

  it('refuses every other option only the AWS stacks read, rather than ignore it', () => {
    const config = pipelineConfigSchema.parse({
      ingestion: {
        endpointPath: '/events',
        size: { max: 8 },
        protocol: 'HTTPS',
        domain: {
          name: 'collect.example.com',
          certificateArn:
            'arn:aws:acm:eu-west-1:123456789012:certificate/0f2e-4b1c',
        },
      },
      processing: { scheduleExpression: 'rate(15 minutes)' },
    });
    expect(pipelineConfigIssues(config, 'local')).toEqual([
      "ingestion.domain applies to aws projects only: a local project's collector runs in the backend",
      "ingestion.protocol applies to aws projects only: a local project's collector runs in the backend",
      "ingestion.size applies to aws projects only: a local project's collector runs in the backend",
      "ingestion.endpointPath applies to aws projects only: a local project's collector runs in the backend",
      'processing.scheduleExpression applies to aws projects only: a local project processes and loads continuously',
    ]);
    // Their defaults are what every local project carries: fine.
    expect(
      pipelineConfigIssues(defaultPipelineConfig('local'), 'local'),
    ).toEqual([]);
    expect(pipelineConfigIssues(config, 'aws')).toEqual([
      "ingestion.sink.type must be 'kinesis', 'msk' or 's3' for an aws project",
      'modeling.warehouse.type must be a Redshift option for an aws project',
    ]);
  });
});

describe('pipelineConfigSchema: an existing MSK cluster as the buffer', () => {
  const clusterArn =
    'arn:aws:kafka:eu-west-1:123456789012:cluster/events/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-1';
  const aws = {
    modeling: { warehouse: { type: 'redshift-serverless' } },
  } as const;

  it('takes a cluster ARN and a topic, and asks for the cluster VPC', () => {
    const config = pipelineConfigSchema.parse({
      ...aws,
      ingestion: { sink: { type: 'msk', clusterArn, topic: 'clickstream' } },
    });
    expect(pipelineConfigIssues(config, 'aws')).toEqual([
      "ingestion.vpc.vpcId is required with the msk sink: the collector runs in the MSK cluster's VPC to reach its brokers",
    ]);
    const inVpc = pipelineConfigSchema.parse({
      ...aws,
      ingestion: {
        sink: { type: 'msk', clusterArn, topic: 'clickstream' },
        vpc: { vpcId: 'vpc-0123456789abcdef0' },
      },
    });
    expect(pipelineConfigIssues(inVpc, 'aws')).toEqual([]);
  });

  it('says what an MSK cluster ARN looks like', () => {
    const result = pipelineConfigSchema.safeParse({
      ingestion: {
        sink: {
          type: 'msk',
          clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:topic/events/x/t',
          topic: 'clickstream',
        },
      },
    });
    expect(result.error?.issues.map(i => i.message)).toEqual([
      'sink.clusterArn must be an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<id>)',
    ]);
  });
});
