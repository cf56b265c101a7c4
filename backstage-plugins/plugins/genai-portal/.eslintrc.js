module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  ignorePatterns: ['src/api/schema.ts'],
  overrides: [
    {
      // Command-line scripts (type generation, dev proxy, browser test) talk on the console.
      files: ['scripts/**', 'dev/*.mjs', 'e2e/**'],
      rules: { 'no-console': 'off' },
    },
  ],
});
