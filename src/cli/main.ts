// The rules tool's program: picks the command, parses its options, maps failures to exit codes
// (0 fine, 1 problems found, 2 usage error, 3 a bug in the tool) and keeps stack traces for bugs.
import { parseArgs, type Command } from './args';
import { checkCommand } from './check';
import { InvalidRulesError, UsageError } from './errors';
import { explainCommand } from './explain';
import { matrixCommand } from './matrix';
import { helpText } from './args';
import type { Io } from './output';

/** The tool's name, as `bin` installs it. */
export const PROGRAM = 'cognito-route-authorizer';

/** Exit statuses. */
export const EXIT = { ok: 0, problems: 1, usage: 2, internal: 3 } as const;

const COMMANDS: readonly Command[] = [checkCommand, explainCommand, matrixCommand];

/** The program's help: what it is, its commands, the exit statuses. */
export function programHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Checks and explains the route rules of cognito-route-authorizer with its own decision code.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run "${PROGRAM} <command> --help" for a command's options. Every command takes --json.`,
    'Exit status: 0 fine, 1 problems found, 2 usage error, 3 internal error (a bug: please report it).',
  ].join('\n');
}

/** Runs one command line (the words after the program name); returns the exit status. */
export function runCli(argv: readonly string[], io: Io): number {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      if (name === undefined) {
        io.err(programHelp());
        return EXIT.usage;
      }
      io.out(programHelp());
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) {
      throw new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    }
    const args = parseArgs(rest, command.options, command.name);
    if (args.flag('help')) {
      io.out(helpText(command.usage, command.description, command.options));
      return EXIT.ok;
    }
    return command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${PROGRAM}: ${err.message}`);
      io.err(`Run "${PROGRAM} ${name !== undefined && COMMANDS.some((c) => c.name === name) ? name + ' ' : ''}--help" for usage.`);
      return EXIT.usage;
    }
    if (err instanceof InvalidRulesError) {
      io.err(`${PROGRAM}: invalid rules: ${err.message}`);
      return EXIT.problems;
    }
    io.err(`${PROGRAM}: internal error: ${(err as Error).stack ?? String(err)}`);
    return EXIT.internal;
  }
}
