/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/server', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 20000,
  // A test that fails mid-way can leave a server it started running (its afterEach timed out):
  // the run must still end and report, rather than hang CI until its time runs out.
  forceExit: true,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
