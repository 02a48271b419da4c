// Bench helper: extra bundles with the production esbuild options (each library alone, the libraries at work, no Tracer) under .bench/.
import { build, type Plugin } from 'esbuild';
import { statSync } from 'node:fs';
import path from 'node:path';
import { functions, sharedOptions } from '../build-options';

/** The entries under scripts/lib/bench-entries/, by the name the bench's table gives them. */
const ENTRIES = {
  'aws-jwt-verify': 'aws-jwt-verify.ts',
  logger: 'logger.ts',
  tracer: 'tracer.ts',
  'libraries at work, tracing off': 'at-work-untraced.ts',
  'libraries at work, tracing on': 'at-work-traced.ts',
} as const;

export type LibraryName = keyof typeof ENTRIES;

// Replaces Powertools Tracer with an empty module: the bundle as it would be without it (tracing off only).
const noTracer: Plugin = {
  name: 'no-tracer',
  setup(b) {
    b.onResolve({ filter: /^@aws-lambda-powertools\/tracer$/ }, () => ({ path: 'tracer', namespace: 'bench-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'bench-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

export interface BenchBundles {
  /** Each library entry's bundle, by name. */
  readonly libFiles: Readonly<Record<LibraryName, string>>;
  /** The authorizer bundled without Tracer, and its size in bytes. */
  readonly noTracerFile: string;
  readonly noTracerBytes: number;
}

/** Builds into `<root>/.bench/`: lib-<name>.cjs for each entry, and authorizer-no-tracer.js. */
export async function buildBenchBundles(root: string): Promise<BenchBundles> {
  const out = (name: string): string => path.join(root, '.bench', name);
  const options = { ...sharedOptions, sourcemap: false };
  const libFiles = {} as Record<LibraryName, string>;
  for (const [name, entry] of Object.entries(ENTRIES) as [LibraryName, string][]) {
    libFiles[name] = out(`lib-${name.replace(/[^a-z0-9]+/gi, '-')}.cjs`);
    await build({ ...options, entryPoints: [path.join(__dirname, 'bench-entries', entry)], outfile: libFiles[name] });
  }
  const noTracerFile = out('authorizer-no-tracer.js');
  await build({ ...options, entryPoints: [path.join(root, functions.authorizer.entry)], outfile: noTracerFile, plugins: [noTracer] });
  return { libFiles, noTracerFile, noTracerBytes: statSync(noTracerFile).size };
}
