// @ts-check
/**
 * Three test tiers, selected by file suffix (pnpm test:unit | test:int | test:e2e):
 * - unit: pure, no I/O, no infrastructure;
 * - int:  real Kafka and Postgres, resolved once per run by the global setup;
 * - e2e:  real processes (built apps) against the same infrastructure.
 * Libraries are mapped to their sources, so tests need no build of the libs.
 */
const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // tools/ holds the generators' own tests; the skeleton's tests run only once generated (gen:check).
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  moduleNameMapper: { '^@cqrs/([a-z0-9-]+)$': '<rootDir>/libs/$1/src' },
  transform: {
    // tsconfig.json sets isolatedModules: type errors are `pnpm typecheck`'s job, tests compile per file.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testPathIgnorePatterns: [
    '/node_modules/',
    '/dist/',
    '<rootDir>/tools/gen/skeleton/',
    '<rootDir>/tools/gen/parts/',
  ],
};

const withInfra = {
  ...shared,
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  // The machine has two cores; more workers only add contention for Kafka and Postgres.
  maxWorkers: 2,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.unit.spec.ts'] },
    { ...withInfra, displayName: 'int', testMatch: ['**/*.int.spec.ts'], slowTestThreshold: 30 },
    { ...withInfra, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'], slowTestThreshold: 60 },
  ],
};
