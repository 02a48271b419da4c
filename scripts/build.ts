// `npm run build [-- --quiet]`: bundles every function and tool with the options in build-options.ts.
import { buildAll, BuildInputError } from './lib/build';

async function main(): Promise<number> {
  const started = performance.now();
  try {
    const written = await buildAll();
    if (!process.argv.includes('--quiet')) console.log(`build: wrote ${written.join(', ')} in ${Math.round(performance.now() - started)} ms`);
    return 0;
  } catch (err) {
    // esbuild has printed its own diagnostics (logLevel warning); a bad input is said here.
    if (err instanceof BuildInputError) console.error(`build: ${err.message}`);
    else console.error(`build: failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
    return 1;
  }
}

void main().then((code) => process.exit(code));
