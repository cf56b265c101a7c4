module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  ignorePatterns: ['src/api/schema.ts'],
  // openapi-fetch names its methods after the HTTP verbs (portal.GET(...)).
  rules: { 'new-cap': ['error', { capIsNewExceptions: ['GET'] }] },
  overrides: [
    {
      // Shared test helpers, not test files: they export what the tests use, shared `it`s too.
      files: ['src/__testUtils__/**'],
      rules: { 'jest/no-export': 'off' },
    },
    {
      // Command-line scripts (type generation, dev proxy, browser test) talk on the console.
      files: ['scripts/**', 'dev/*.mjs', 'e2e/**'],
      rules: { 'no-console': 'off' },
    },
  ],
});
