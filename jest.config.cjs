/** Unit and local end-to-end tests: no AWS, no Docker, no network beyond 127.0.0.1. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['<rootDir>/tests/unit/**/*.test.ts', '<rootDir>/tests/e2e/**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/tests/global-setup.ts',
  testTimeout: 20000,
};
