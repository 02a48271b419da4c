// Builds dist/ once before the suites that load the bundle the way Lambda does.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalSetup() {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs'), '--quiet'], {
    stdio: 'inherit',
  });
};
