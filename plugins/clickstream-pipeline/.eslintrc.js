module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Bundles built for the collector's image and the processor Lambda.
  ignorePatterns: ['dist-collector/', 'dist-lambda/'],
});
