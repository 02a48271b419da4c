// Before the integration suites: fail once, plainly, when moto_server is missing; then build dist/ as the unit suites do.
const { spawnSync } = require('node:child_process');
const buildDist = require('../global-setup.cjs');

module.exports = async function globalSetup() {
  const probe = spawnSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 30_000 });
  if (probe.error !== undefined || probe.status !== 0) {
    process.stderr.write(
      '\nmoto_server is not installed (or does not run): `npm run test:integration` needs it.\n' +
        'Install it with `pip install "moto[server]"` (CI machines have it), then run the suite again.\n\n',
    );
    throw new Error('moto_server is not installed');
  }
  await buildDist();
};
