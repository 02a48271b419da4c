// Command lines of the scripts: options read with node:util's parseArgs, every mistake a one-line message and exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the script cannot run: the message says what is wrong, in one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type OptionSpec = { readonly type: 'boolean' | 'string'; readonly short?: string; readonly multiple?: boolean };
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The values parseArgs gives for `S`: strings (lists when multiple) and booleans, undefined when absent. */
export type OptionValues<S extends OptionSpecs> = {
  -readonly [K in keyof S]?: S[K]['type'] extends 'string' ? (S[K]['multiple'] extends true ? string[] : string) : boolean;
};

/**
 * Reads `argv` against `specs` (no positional arguments). Throws UsageError with a message of our
 * own for an unknown option, a missing value, a value given to a flag or a stray argument: never
 * parseArgs' multi-line text.
 */
export function readCommandLine<S extends OptionSpecs>(argv: readonly string[], specs: S): OptionValues<S> {
  const byShort = new Map(Object.entries(specs).flatMap(([name, s]) => (s.short === undefined ? [] : [[s.short, name] as const])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') throw new UsageError(`unexpected argument "${argv[i + 1] ?? '--'}"`);
    if (!arg.startsWith('-') || arg === '-') throw new UsageError(`unexpected argument "${arg}"`);
    const [flag, inline] = arg.startsWith('--') ? splitOnce(arg.slice(2)) : [byShort.get(arg.slice(1)) ?? `-${arg.slice(1)}`, undefined];
    const spec = specs[flag];
    const shown = arg.startsWith('--') ? `--${flag}` : arg;
    if (spec === undefined) throw new UsageError(`unknown option ${shown}`);
    if (spec.type === 'boolean' && inline !== undefined) throw new UsageError(`${shown} takes no value`);
    if (spec.type === 'string' && inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`${shown} needs a value`);
      i++;
    }
  }
  const config: ParseArgsConfig = { args: [...argv], options: { ...specs }, strict: true, allowPositionals: false };
  const { values } = parseArgs(config);
  return values as OptionValues<S>;
}

function splitOnce(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

/** Writes `<tool>: <message>` and the usage text to stderr and exits 2. */
export function exitWithUsage(tool: string, err: UsageError, usage: string): never {
  process.stderr.write(`${tool}: ${err.message}\n\n${usage}`);
  process.exit(2);
}
