// Bench helper: the bundles cold starts compare, under .bench/: the authorizer as template.yaml deploys it (and with the
// other source-map setting), and the libraries it loads, imported alone with the same esbuild options.
import { build } from 'esbuild';
import { statSync } from 'node:fs';
import path from 'node:path';
import { functions } from '../build-options';
import type { Deployment } from './bench-deployed';

export interface BenchBundles {
  /** The authorizer built with the template's BuildProperties, and its size in bytes. */
  readonly deployed: string;
  readonly deployedBytes: number;
  /** The same, with the other source-map setting (to say what the choice costs). */
  readonly otherSourcemap: string;
  /** aws-jwt-verify, Powertools Logger and Tracer imported; and without Tracer. */
  readonly libraries: string;
  readonly librariesNoTracer: string;
}

/** Builds the bench's bundles into `<root>/.bench/`. */
export async function buildBenchBundles(root: string, deployment: Deployment): Promise<BenchBundles> {
  const out = (name: string): string => path.join(root, '.bench', name);
  const entry = path.join(root, functions.authorizer.entry);
  const options = deployment.buildOptions;
  const deployed = out('authorizer-deployed.js');
  await build({ ...options, entryPoints: [entry], outfile: deployed });
  const otherSourcemap = out(`authorizer-sourcemap-${deployment.sourcemap ? 'off' : 'on'}.js`);
  await build({ ...options, sourcemap: !deployment.sourcemap, entryPoints: [entry], outfile: otherSourcemap });
  const libraries = out('libraries.cjs');
  await build({ ...options, entryPoints: [path.join(__dirname, 'bench-entries', 'libraries.ts')], outfile: libraries });
  const librariesNoTracer = out('libraries-no-tracer.cjs');
  await build({ ...options, entryPoints: [path.join(__dirname, 'bench-entries', 'libraries-no-tracer.ts')], outfile: librariesNoTracer });
  return { deployed, deployedBytes: statSync(deployed).size, otherSourcemap, libraries, librariesNoTracer };
}
