// `npm run --silent rules -- <command> …`: the rules tool, rebuilt first only when its sources changed, then run in
// this process (one Node start-up). Prints nothing of its own on stdout.
import path from 'node:path';
import { tools } from './build-options';
import type * as BuildModule from './lib/build';
import { loadCommonJs } from './lib/load-commonjs';
import { ROOT } from './lib/paths';
import { isToolStale } from './lib/tool-inputs';

async function main(): Promise<void> {
  if (isToolStale('cli')) {
    // Loaded only now: a fresh bundle never pays for esbuild.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildTool } = require('./lib/build') as typeof BuildModule;
    await buildTool('cli');
  }
  // The bundle reads its arguments from process.argv: make them what `node dist/cli.js …` would see.
  const bundle = path.join(ROOT, tools.cli.outfile);
  process.argv = [process.argv[0] as string, bundle, ...process.argv.slice(2)];
  loadCommonJs(bundle);
}

main().catch((err: unknown) => {
  process.stderr.write(`rules: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
