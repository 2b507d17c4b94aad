/**
 * Nest 12 packages are ESM-only: swc transforms them along with our TypeScript so jest (CommonJS) can load
 * them. Projects split the suite into tiers that `npm test` runs together.
 */
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  },
];
const shared = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|load-esm|uid|strtok3|token-types|@tokenizer|uint8array-extras|@borewit|@standard-schema)/)'],
  moduleNameMapper: {
    '^@matcher/engine$': '<rootDir>/libs/engine/src/index.ts',
    '^@matcher/engine/testing$': '<rootDir>/libs/engine/src/testing/index.ts',
    '^@matcher/engine/types$': '<rootDir>/libs/engine/src/types.ts',
    '^@matcher/catalog$': '<rootDir>/libs/catalog/src/index.ts',
    '^@matcher/catalog/types$': '<rootDir>/libs/catalog/src/types.ts',
    '^@matcher/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@matcher/persistence$': '<rootDir>/libs/persistence/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
};

// The browser tier needs Debian's Chromium. On a machine without it the tier is skipped with one line saying so;
// under CI=true it always runs, so a missing browser fails the build instead of hiding behind a skip.
const { accessSync, constants, statSync } = require('node:fs');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** An executable regular file: a path that is missing, or hidden behind /dev/null, is no browser. */
function usable(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
const browserTier = process.env.CI === 'true' || usable(chromium);
if (!browserTier) {
  process.stderr.write(
    `Browser tier skipped: ${chromium} is missing or not an executable. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH), then run \`npm run test:browser\`.\n`,
  );
}

module.exports = {
  // Two workers on the two-core machines; a worker that has grown past the limit (embedded databases, browsers) is
  // replaced between files, so one file's leftovers never slow the next (in band, the heap grew past 2 GB).
  maxWorkers: 2,
  workerIdleMemoryLimit: '1GB',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/rules/**/*.spec.ts'] },
    // Services on a fresh embedded PGlite database, without HTTP.
    { ...shared, displayName: 'medium', testMatch: ['<rootDir>/test/medium/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] },
    // The web app in Debian's Chromium (playwright-core) against the app on PGlite; apps/web/dist is built first when stale.
    ...(browserTier
      ? [
          {
            ...shared,
            displayName: 'browser',
            testMatch: ['<rootDir>/test/browser/**/*.spec.ts'],
            globalSetup: '<rootDir>/test/browser/global-setup.ts',
            testTimeout: 120000,
          },
        ]
      : []),
  ],
};
