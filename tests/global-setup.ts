// Builds dist/ once before the suites that load the bundle the way Lambda does.
import { buildFunctions } from '../scripts/lib/build';

export default async function globalSetup(): Promise<void> {
  await buildFunctions();
}
