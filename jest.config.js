/**
 * Nest 12 packages are ESM-only: swc transforms them along with our TypeScript so jest (CommonJS) can load
 * them. Projects split the suite into tiers that `npm test` runs together.
 */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' }, module: { type: 'commonjs' } }];
const shared = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|load-esm|uid|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|@standard-schema)/)'],
  moduleNameMapper: {
    '^@matcher/engine$': '<rootDir>/libs/engine/src/index.ts',
    '^@matcher/catalog$': '<rootDir>/libs/catalog/src/index.ts',
    '^@matcher/persistence$': '<rootDir>/libs/persistence/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/rules/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    // The web app in Debian's Chromium (playwright-core) against the app on PGlite; apps/web/dist is built first when stale.
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.spec.ts'], globalSetup: '<rootDir>/test/browser/global-setup.ts', testTimeout: 120000 },
  ],
};
