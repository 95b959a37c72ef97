module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // CDK constructs attach themselves to their scope when created.
    'no-new': 'off',
  },
});
