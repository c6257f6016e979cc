/** One suite, two databases: ASSAY_TEST_DB=pglite | postgres (see package.json "test"). */
const database = process.env.ASSAY_TEST_DB ?? 'pglite';

/** @type {import('jest').Config} */
module.exports = {
  displayName: database,
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testTimeout: 60_000,
  // Unit specs do not touch the database; running them once (on the PGlite pass) is enough.
  testPathIgnorePatterns: database === 'postgres' ? ['/node_modules/', '<rootDir>/src/'] : ['/node_modules/'],
};
