// `npm run build`: bundles every function with the options in build-options.mjs.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { functions, sharedOptions, tools } from './build-options.mjs';
import { buildTool } from './lib/build-tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const started = performance.now();
for (const [name, fn] of Object.entries(functions)) {
  const entry = path.join(root, fn.entry);
  if (!existsSync(entry)) {
    console.error(`build: ${name}: entry ${fn.entry} does not exist`);
    process.exit(1);
  }
  await build({ ...sharedOptions, entryPoints: [entry], outfile: path.join(root, fn.outfile), metafile: false });
}
// The command-line tools (the rules tool): bundled too, so `npm run build` leaves dist/ complete.
for (const name of Object.keys(tools)) await buildTool(root, name);
if (!process.argv.includes('--quiet')) {
  const names = [...Object.values(functions), ...Object.values(tools)].map((fn) => fn.outfile).join(', ');
  console.log(`build: wrote ${names} in ${Math.round(performance.now() - started)} ms`);
}
