// Whether a command-line tool's bundle is older than the files it was built from (no esbuild loaded to find out:
// `npm run rules` with a fresh bundle starts without it).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { tools } from '../build-options';
import { ROOT } from './paths';

export type ToolName = keyof typeof tools;

/** Where a tool's input list is kept (every file esbuild read for it), next to its bundle. */
export const inputsFile = (root: string, name: ToolName): string => path.join(root, tools[name].outfile.replace(/\.js$/, '.inputs.json'));

/** True when the tool's bundle is missing or any file it was built from has changed since. */
export function isToolStale(name: ToolName, root: string = ROOT): boolean {
  const outfile = path.join(root, tools[name].outfile);
  const list = inputsFile(root, name);
  if (!existsSync(outfile) || !existsSync(list)) return true;
  const built = statSync(outfile).mtimeMs;
  const inputs = JSON.parse(readFileSync(list, 'utf8')) as string[];
  return inputs.some((file) => {
    const full = path.join(root, file);
    return !existsSync(full) || statSync(full).mtimeMs > built;
  });
}
