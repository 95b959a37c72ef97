import { defaultPipelineConfig, pipelineConfigSchema } from './pipeline';
import { pipelineChanges } from './pipelineChanges';

describe('pipelineChanges', () => {
  const aws = defaultPipelineConfig('aws');
  const changed = (input: object) =>
    pipelineChanges(
      aws,
      pipelineConfigSchema.parse({ ...structuredClone(aws), ...input }),
    );

  it('finds nothing between equal configurations', () => {
    expect(pipelineChanges(aws, structuredClone(aws))).toEqual({
      fields: [],
      modules: [],
    });
  });

  it('names each changed field and the modules that redeploy for it, in the order data flows', () => {
    expect(
      changed({
        processing: { ...aws.processing, dataFreshnessHours: 24 },
      }),
    ).toEqual({
      fields: ['processing.dataFreshnessHours'],
      modules: ['processing'],
    });
    // Another sink: the fields of both variants, and every module the sink feeds.
    expect(
      changed({
        ingestion: { ...aws.ingestion, sink: { type: 's3' } },
      }),
    ).toEqual({
      fields: [
        'ingestion.sink.type',
        'ingestion.sink.mode',
        'ingestion.sink.shardCount',
        'ingestion.sink.retentionHours',
        'ingestion.sink.vpcEndpoint',
        'ingestion.sink.bufferSizeMb',
        'ingestion.sink.bufferIntervalSeconds',
      ],
      modules: ['ingestion', 'buffer', 'processing'],
    });
    expect(
      changed({
        reporting: {
          type: 'quicksight',
          principalArn:
            'arn:aws:quicksight:us-east-1:123456789012:user/default/ada',
        },
        modeling: { ...aws.modeling, dataRetentionDays: 30 },
      }).modules,
    ).toEqual(['processing', 'modeling', 'reporting']);
  });

  it('counts a list as one field', () => {
    expect(
      changed({
        ingestion: { ...aws.ingestion, corsOrigins: ['https://a.example'] },
      }),
    ).toEqual({
      fields: ['ingestion.corsOrigins'],
      modules: ['ingestion', 'buffer'],
    });
  });
});
