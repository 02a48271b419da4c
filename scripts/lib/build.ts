// Bundles with the options in build-options.ts: the deployable functions and the command-line tools.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { findDuplicateKey } from '../../src/safe-json';
import path from 'node:path';
import { functions, sharedOptions, tools } from '../build-options';
import { ROOT } from './paths';
import { inputsFile, type ToolName } from './tool-inputs';

/** A build input that is missing or unusable (an entry point, the bundled rules): a message for the user, not a stack. */
export class BuildInputError extends Error {
  override readonly name = 'BuildInputError';
}

/**
 * The bundled rules file may not repeat a key: esbuild would keep the last of two silently, and the
 * authorizer, which refuses a duplicated key in ROUTE_RULES by name, would never see the first.
 */
export function checkBundledRules(root: string = ROOT): void {
  const file = path.join(root, 'config', 'rules.json');
  let duplicate: ReturnType<typeof findDuplicateKey>;
  try {
    const text = readFileSync(file, 'utf8');
    JSON.parse(text);
    duplicate = findDuplicateKey(text);
  } catch (err) {
    throw new BuildInputError(`config/rules.json: ${(err as Error).message}`);
  }
  if (duplicate !== undefined) {
    throw new BuildInputError(`config/rules.json: duplicate key "${duplicate.key}" in ${duplicate.path} (which one would the authorizer use?)`);
  }
}

/** Builds every function into dist/; resolves with the files written. Throws when an entry point is missing or esbuild fails. */
export async function buildFunctions(root: string = ROOT): Promise<string[]> {
  checkBundledRules(root);
  const written: string[] = [];
  for (const [name, fn] of Object.entries(functions)) {
    const entry = path.join(root, fn.entry);
    if (!existsSync(entry)) throw new BuildInputError(`${name}: entry ${fn.entry} does not exist`);
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
