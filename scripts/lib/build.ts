// Bundles the deployable functions with the options in build-options.ts (for `npm run build`, the tests' global setup and `npm start`).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { functions, sharedOptions } from '../build-options';
import { ROOT } from './paths';

/** A function whose entry point is missing: a message for the user, not a stack. */
export class MissingEntryError extends Error {
  override readonly name = 'MissingEntryError';
}

/** Builds every function into dist/; resolves with the files written. Throws when an entry point is missing or esbuild fails. */
export async function buildFunctions(root: string = ROOT): Promise<string[]> {
  const written: string[] = [];
  for (const [name, fn] of Object.entries(functions)) {
    const entry = path.join(root, fn.entry);
    if (!existsSync(entry)) throw new MissingEntryError(`${name}: entry ${fn.entry} does not exist`);
    await build({ ...sharedOptions, entryPoints: [entry], outfile: path.join(root, fn.outfile), metafile: false });
    written.push(fn.outfile);
  }
  return written;
}
