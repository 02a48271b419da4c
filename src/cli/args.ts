// Command-line arguments: a small strict parser (an unknown option is a usage error), the options
// the commands share, and the help text generated from the same declarations.
import { UsageError } from './errors';
import type { Io } from './output';

/** How an option takes its value: a switch, one value, or a value that may be repeated. */
export type OptionKind = 'flag' | 'value' | 'list';

/** One option as a command declares it. */
export interface OptionSpec {
  readonly kind: OptionKind;
  /** The value's placeholder in help, e.g. `FILE`. */
  readonly value?: string;
  readonly help: string;
  /** Allowed values, checked here (`--api rest|http`). */
  readonly choices?: readonly string[];
}

/** A command's options by long name (without `--`). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What a command line said. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** True when a flag was given. */
  flag(name: string): boolean;
  /** The value of a single-valued option, or undefined. */
  value(name: string): string | undefined;
  /** Every value of a repeatable option, in order. */
  list(name: string): readonly string[];
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  help: { kind: 'flag', help: 'show this help' },
  json: { kind: 'flag', help: 'print JSON for machines (the shapes in the README)' },
} as const satisfies OptionSpecs;

/** `--rules FILE`, shared by the commands that read rules. */
export const RULES_OPTION = {
  rules: {
    kind: 'value',
    value: 'FILE',
    help: 'the rules file (default: ROUTE_RULES when set, else the bundled config/rules.json)',
  },
} as const satisfies OptionSpecs;

/** `--api rest|http`: which routing model to use. */
export const API_OPTION = {
  api: { kind: 'value', value: 'rest|http', choices: ['rest', 'http'], help: 'the kind of API, for its routing model' },
} as const satisfies OptionSpecs;

function optionName(arg: string): { name: string; inline: string | undefined } {
  const eq = arg.indexOf('=');
  return eq < 0 ? { name: arg.slice(2), inline: undefined } : { name: arg.slice(2, eq), inline: arg.slice(eq + 1) };
}

/**
 * Parses `argv` (the words after the command name) against the command's options. `--name value`
 * and `--name=value` both work, `-h` is `--help`, `--` ends the options. Throws UsageError naming
 * the command and the offending word.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, command: string): ParsedArgs {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      values.set('help', ['']);
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`${command}: unknown option "${arg}"`);
      positionals.push(arg);
      continue;
    }
    const { name, inline } = optionName(arg);
    const spec = specs[name];
    if (spec === undefined) throw new UsageError(`${command}: unknown option "--${name}"`);
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`${command}: --${name} takes no value`);
      values.set(name, ['']);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${command}: --${name} needs a value (${spec.value ?? 'VALUE'})`);
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      throw new UsageError(`${command}: --${name} must be one of ${spec.choices.join(', ')} (got "${value}")`);
    }
    if (spec.kind === 'value' && values.has(name)) throw new UsageError(`${command}: --${name} given twice`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return {
    positionals,
    flag: (name) => values.has(name),
    value: (name) => values.get(name)?.[0],
    list: (name) => values.get(name) ?? [],
  };
}

/** A comma-separated option (`--groups a,b`, possibly repeated) as its items, empty ones dropped. */
export function commaList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** The help text of a command: usage, what it does, its options. */
export function helpText(usage: string, description: string, specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = `--${name}${spec.value === undefined ? '' : ' ' + spec.value}`;
    return [left, spec.help];
  });
  const width = Math.max(...rows.map(([left]) => (left as string).length));
  const options = rows.map(([left, help]) => `  ${(left as string).padEnd(width)}  ${help as string}`);
  return [`Usage: ${usage}`, '', description, '', 'Options:', ...options].join('\n');
}

/** A command of the tool: its help, its options, and what it does (returns the exit code). */
export interface Command {
  readonly name: string;
  /** One line for the program's help. */
  readonly summary: string;
  readonly usage: string;
  readonly description: string;
  readonly options: OptionSpecs;
  run(args: ParsedArgs, io: Io): number;
}
