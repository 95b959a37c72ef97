import {
  AWS_PROJECT_ID_MAX_LENGTH,
  createProjectRequestSchema,
} from './project';

const base = { name: 'Shop', owner: 'group:default/web' };
const aws = { type: 'aws', accountId: '123456789012', region: 'eu-west-1' };

describe('createProjectRequestSchema: the project id', () => {
  it('of an aws project fits the names of its Redshift Serverless namespace', () => {
    const longest = `s${'x'.repeat(AWS_PROJECT_ID_MAX_LENGTH - 1)}`;
    expect(
      createProjectRequestSchema.safeParse({
        ...base,
        id: longest,
        target: aws,
      }).success,
    ).toBe(true);
    // clickstream-<id> must fit the 64 characters of a namespace name.
    expect(`clickstream-${longest}`.length).toBeLessThanOrEqual(64);

    const result = createProjectRequestSchema.safeParse({
      ...base,
      id: `${longest}x`,
      target: aws,
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({
        path: ['id'],
        message: expect.stringContaining(
          `the id of an aws project has at most ${AWS_PROJECT_ID_MAX_LENGTH} characters`,
        ),
      }),
    ]);
  });

  it('of an embedded project may be longer', () => {
    expect(
      createProjectRequestSchema.safeParse({
        ...base,
        id: `s${'x'.repeat(100)}`,
      }).success,
    ).toBe(true);
  });
});
