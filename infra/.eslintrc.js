module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // CDK constructs attach themselves to their scope when created.
    'no-new': 'off',
    // The CDK's template assertions throw on a mismatch, as expect does.
    'jest/expect-expect': [
      'warn',
      {
        assertFunctionNames: [
          'expect',
          '*.hasResourceProperties',
          '*.hasResource',
          '*.resourceCountIs',
          '*.hasOutput',
        ],
      },
    ],
  },
});
