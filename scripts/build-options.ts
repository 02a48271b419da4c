// The one definition of how functions and tools are bundled: used by `npm run build` and checked against
// template.yaml's Metadata.BuildProperties by tests, so `sam build` ships the same bundle.
import type { BuildOptions } from 'esbuild';

/** esbuild options every function shares (CommonJS: Powertools Tracer does not work in ESM). */
export const sharedOptions = Object.freeze({
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // No source maps, as the template ships: with them `sam build` sets NODE_OPTIONS=--enable-source-maps
  // (+10 ms a cold start, +44 ms an error at init, measured); logs carry error names, never stacks.
  sourcemap: false,
  // The AWS SDK v3 is in the Lambda runtime; the authorizer itself never imports it.
  external: ['@aws-sdk/*'],
  legalComments: 'none',
  logLevel: 'warning',
} as const satisfies BuildOptions);

/** A bundle: its entry point and where `npm run build` writes it (both relative to the repository). */
export interface FunctionBuild {
  readonly entry: string;
  readonly outfile: string;
}

/** Each deployable function, by name. */
export const functions = Object.freeze({
  authorizer: { entry: 'src/handler.ts', outfile: 'dist/authorizer.js' },
  backend: { entry: 'src/backend/handler.ts', outfile: 'dist/backend.js' },
} as const satisfies Record<string, FunctionBuild>);

// --- Tools (not deployed, so not in `functions`, which tests hold against template.yaml) ---------

/** A command-line tool: a bundle with options of its own over the shared ones. */
export interface ToolBuild extends FunctionBuild {
  readonly options: BuildOptions;
}

/** Command-line tools `npm run build` also bundles: the rules tool (package.json `bin`). */
export const tools = Object.freeze({
  cli: {
    entry: 'src/cli/bin.ts',
    outfile: 'dist/cli.js',
    // A tool run from a terminal: no source map (it would slow every start for stack traces
    // it never prints), and a shebang so `bin` can run it directly.
    options: { sourcemap: false, banner: { js: '#!/usr/bin/env node' } },
  },
} as const satisfies Record<string, ToolBuild>);
