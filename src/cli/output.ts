// What the commands print: where it goes (stdout for results, stderr for diagnostics), aligned
// tables, colour only on a terminal, and JSON.

/** Where a command writes, and what it may read of its surroundings (tests pass their own). */
export interface Io {
  /** One line (or several) of the result, on stdout. */
  out(text: string): void;
  /** One line (or several) of diagnostics, on stderr. */
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  /** The directory relative paths are read from. */
  readonly cwd: string;
  /** Whether stdout is a terminal that takes colour (a TTY, NO_COLOR unset). */
  readonly color: boolean;
}

/** The process's own streams, with colour when stdout is a terminal and NO_COLOR is unset. */
export function processIo(): Io {
  const env = process.env;
  return {
    out: (text) => void process.stdout.write(text + '\n'),
    err: (text) => void process.stderr.write(text + '\n'),
    env,
    cwd: process.cwd(),
    color: process.stdout.isTTY === true && (env['NO_COLOR'] ?? '') === '' && env['TERM'] !== 'dumb',
  };
}

/** ANSI styles that are no-ops when colour is off. */
export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;

/** The styles for an output: real ANSI codes on a colour terminal, plain text otherwise. */
export function stylesFor(io: Io): Styles {
  if (!io.color) {
    const plain = (text: string): string => text;
    return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain };
  }
  return { bold: ansi(1), dim: ansi(2), red: ansi(31), green: ansi(32), yellow: ansi(33) };
}

// Escape sequences take no room on screen: measure without them.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b\[[0-9;]*m/g;

/** The width of text on screen (characters, escape sequences not counted). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI_SEQUENCE, '')].length;
}

/** Text cut to `width` characters, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

/**
 * Rows as aligned columns (two spaces between), each line prefixed by `indent`. The last column
 * is not padded, so lines carry no trailing spaces.
 */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))));
  return rows.map((row) => {
    const cells = row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] as number) - visibleWidth(cell))));
    return (indent + cells.join('  ')).trimEnd();
  });
}

/** Prints a value as indented JSON on stdout. */
export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** Text indented by `indent` on every line. */
export function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

/** Text wrapped at spaces to lines of at most `width` characters; lines after the first start with `hang`. */
export function wrap(text: string, width: number, hang = ''): string[] {
  const lines: string[] = [];
  const lead = /^ */.exec(text)?.[0] ?? '';
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const candidate = line.trim() === '' ? line + word : `${line} ${word}`;
    if (visibleWidth(candidate) > width && line.trim() !== '') {
      lines.push(line);
      line = hang + word;
    } else {
      line = candidate;
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}
