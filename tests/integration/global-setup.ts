// Before the integration suites: fail once, plainly, when moto_server is missing; then build dist/ as the unit suites do.
import buildDist from '../global-setup';
import { requireMotoServer } from '../helpers/moto';

export default async function globalSetup(): Promise<void> {
  try {
    requireMotoServer();
  } catch (err) {
    process.stderr.write(`\n${(err as Error).message}\n\n`);
    throw err;
  }
  await buildDist();
}
