// Bundles the command-line tools of scripts/build-options.mjs (`tools`), and tells whether a bundle
// is older than its inputs, so `npm run rules` rebuilds only when something changed.
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedOptions, tools } from '../build-options.mjs';

/** Where a tool's input list is kept (every file esbuild read for it), next to its bundle. */
const inputsFile = (root, tool) => path.join(root, tool.outfile.replace(/\.js$/, '.inputs.json'));

/** Bundles one tool; records its inputs; makes it executable. */
export async function buildTool(root, name) {
  const tool = tools[name];
  const outfile = path.join(root, tool.outfile);
  // Imported here, not at the top: `npm run rules` with a fresh bundle never pays for loading esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    ...sharedOptions,
    ...tool.options,
    entryPoints: [path.join(root, tool.entry)],
    outfile,
    absWorkingDir: root,
    metafile: true,
  });
  const inputs = [...Object.keys(result.metafile.inputs), 'scripts/build-options.mjs', 'package-lock.json'];
  writeFileSync(inputsFile(root, tool), JSON.stringify(inputs));
  chmodSync(outfile, 0o755);
  return outfile;
}

/** True when the tool's bundle is missing or any file it was built from has changed since. */
export function isStale(root, name) {
  const tool = tools[name];
  const outfile = path.join(root, tool.outfile);
  const list = inputsFile(root, tool);
  if (!existsSync(outfile) || !existsSync(list)) return true;
  const built = statSync(outfile).mtimeMs;
  const inputs = JSON.parse(readFileSync(list, 'utf8'));
  return inputs.some((file) => {
    const full = path.join(root, file);
    return !existsSync(full) || statSync(full).mtimeMs > built;
  });
}
