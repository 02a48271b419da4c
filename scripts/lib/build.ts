// Bundles with the options in build-options.ts: the deployable functions and the command-line tools.
import { build } from 'esbuild';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { functions, sharedOptions, tools } from '../build-options';
import { ROOT } from './paths';
import { inputsFile, type ToolName } from './tool-inputs';

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


/** Bundles one tool, records its inputs, makes it executable; resolves with the file written. */
export async function buildTool(name: ToolName, root: string = ROOT): Promise<string> {
  const tool = tools[name];
  const outfile = path.join(root, tool.outfile);
  const result = await build({ ...sharedOptions, ...tool.options, entryPoints: [path.join(root, tool.entry)], outfile, absWorkingDir: root, metafile: true });
  const inputs = [...Object.keys(result.metafile.inputs), 'scripts/build-options.ts', 'package-lock.json'];
  writeFileSync(inputsFile(root, name), JSON.stringify(inputs));
  chmodSync(outfile, 0o755);
  return tool.outfile;
}

/** `npm run build`: every function, then every tool, so dist/ is complete. Resolves with the files written. */
export async function buildAll(root: string = ROOT): Promise<string[]> {
  const written = await buildFunctions(root);
  for (const name of Object.keys(tools) as ToolName[]) written.push(await buildTool(name, root));
  return written;
}
