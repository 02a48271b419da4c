// Builds dist/ once before the suites that load the bundles the way Lambda (and a shell, for the rules tool) does.
import { buildAll } from '../scripts/lib/build';

export default async function globalSetup(): Promise<void> {
  await buildAll();
}
