import { appIdSchema, projectIdSchema, toProjectId } from './ids';

describe('projectIdSchema', () => {
  it.each(['shop', 'shop_2024', 'a', `a${'b'.repeat(126)}`])(
    'accepts %s',
    id => {
      expect(projectIdSchema.parse(id)).toBe(id);
    },
  );

  it.each(['', 'Shop', '2shop', '_shop', 'my-shop', `a${'b'.repeat(127)}`])(
    'rejects %j with a message that says why',
    id => {
      const result = projectIdSchema.safeParse(id);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toMatch(/lower-case letter/);
    },
  );
});

describe('appIdSchema', () => {
  it('accepts mixed case and rejects a leading digit', () => {
    expect(appIdSchema.safeParse('MyApp_1').success).toBe(true);
    expect(appIdSchema.safeParse('1app').success).toBe(false);
    expect(appIdSchema.safeParse('my-app').success).toBe(false);
  });

  it.each([
    ['user', 'reserved word'],
    ['Order', 'reserved word'],
    ['TABLE', 'reserved word'],
    ['pg_shop', 'system schema'],
    ['information_schema', 'system schema'],
  ])(
    'refuses %j, which Redshift cannot take as a schema name (%s)',
    (id, why) => {
      const result = appIdSchema.safeParse(id);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].message).toContain(`app id '${id}'`);
      expect(result.error?.issues[0].message).toContain(why);
    },
  );

  it('takes names that only contain a reserved word', () => {
    for (const id of ['users', 'orders', 'my_table', 'shop_pg_1']) {
      expect(appIdSchema.safeParse(id).success).toBe(true);
    }
  });
});

describe('toProjectId', () => {
  it.each([
    ['My Shop (EU)', 'my_shop_eu'],
    ['Café Analytics', 'cafe_analytics'],
    ['2024 launch', 'launch'],
    ['already_valid', 'already_valid'],
  ])('turns %j into %j', (name, id) => {
    expect(toProjectId(name)).toBe(id);
  });

  it('gives undefined when no letter is left', () => {
    expect(toProjectId('123 !!')).toBeUndefined();
    expect(toProjectId('')).toBeUndefined();
  });

  it('keeps ids within 127 characters', () => {
    const id = toProjectId('x'.repeat(300));
    expect(id).toHaveLength(127);
    expect(projectIdSchema.safeParse(id).success).toBe(true);
  });
});
