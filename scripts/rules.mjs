// `npm run --silent rules -- <command> …`: the rules tool, rebuilt first only when its sources
// changed, then run in this process (one Node start-up). Prints nothing of its own on stdout.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tools } from './build-options.mjs';
import { buildTool, isStale } from './lib/build-tools.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (isStale(root, 'cli')) await buildTool(root, 'cli');
// The bundle reads its arguments from process.argv: make them what `node dist/cli.js …` would see.
const bundle = path.join(root, tools.cli.outfile);
process.argv = [process.argv[0], bundle, ...process.argv.slice(2)];
createRequire(import.meta.url)(bundle);
