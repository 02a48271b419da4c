/** Integration tests against moto_server (a Cognito emulator on 127.0.0.1): `npm run test:integration`. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['<rootDir>/tests/integration/**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/tests/integration/global-setup.ts',
  testTimeout: 30000,
};
