import { pipelineConfigSchema } from './pipeline';

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
      'trafficSourceRules.channels.medium must be a valid regular expression',
    ]);
  });
});
