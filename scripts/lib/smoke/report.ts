// The report: one line per check (✓ passed, ✗ failed, – skipped, · noted), secrets hidden from every line, a summary and the exit status.
import type { PlannedCheck } from './checks';
import { describeExpectation } from './judge';
import type { ApiKind } from './target';

export const MARKS = { pass: '✓', fail: '✗', skip: '–', note: '·' } as const;
export type Mark = keyof typeof MARKS;

/** Exit statuses: every check passed, a check failed, the smoke could not run as asked. */
export const EXIT = { passed: 0, failed: 1, cannotRun: 2 } as const;

/** What stands for a hidden secret, and for anything shaped like a JWT. */
const HIDDEN = '[hidden]';
const JWT_SHAPE = /eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g;

export const API_LABEL: Readonly<Record<ApiKind, string>> = { rest: 'REST', http: 'HTTP' };

/** `text` with every secret (and anything JWT-shaped) replaced. Longest first, so no secret is half-hidden. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(HIDDEN);
  return out.replace(JWT_SHAPE, HIDDEN);
}

/** The pieces of a secret that must not appear either: a JWT's payload and signature on their own. */
export function secretParts(secret: string): string[] {
  const parts = secret.split('.');
  if (parts.length !== 3) return [secret];
  return [secret, ...parts.slice(1).filter((p) => p.length >= 16)];
}

/** A check's line without its mark: the API, who asks, the request, and the answer expected (or what was wrong). */
export function checkLine(check: PlannedCheck, problems: readonly string[]): string {
  const request = `${API_LABEL[check.api]} ${check.who.padEnd(10)} ${check.probe.method} ${check.probe.shown}`;
  if (problems.length > 0) return `${request}: ${problems.join('; ')}${check.failHint === undefined ? '' : ` (${check.failHint}?)`}`;
  const why = check.why === undefined ? '' : ` (${check.why})`;
  const cache = check.cache === 'first' ? ', first: answer cached' : check.cache === 'reuse' ? ', within the TTL' : '';
  return `${request} → ${describeExpectation(check.expect, check.api)}${why}${cache}`;
}

export interface Counts {
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
  readonly note: number;
}

/** Writes the run's lines (through `write`, one call per line) and keeps the score. */
export class Report {
  private readonly secrets = new Set<string>();
  private readonly tally: Record<Mark, number> = { pass: 0, fail: 0, skip: 0, note: 0 };
  private cannotRun = false;

  constructor(private readonly write: (line: string) => void) {}

  /** Never print `secret` (a password, a token), nor a JWT's payload or signature alone. */
  hide(secret: string): void {
    for (const part of secretParts(secret)) this.secrets.add(part);
  }

  /** A plain line (a heading, the summary), secrets hidden. */
  line(text: string): void {
    this.write(redact(text, this.secrets));
  }

  mark(mark: Mark, text: string, count = 1): void {
    this.tally[mark] += count;
    this.line(`${MARKS[mark]} ${text}`);
  }

  /** A failure that means the smoke could not run as asked (a permission, a missing group): exit 2. */
  cannotRunBecause(text: string): void {
    this.cannotRun = true;
    this.mark('fail', text);
  }

  get counts(): Counts {
    return { ...this.tally };
  }

  /** The summary line; `interrupted` when a signal stopped the run. */
  summary(elapsedMs: number, interrupted = false): string {
    const { pass, fail, skip, note } = this.tally;
    const verdict = interrupted ? 'INTERRUPTED' : this.exitCode() === EXIT.passed ? 'PASSED' : this.cannotRun ? 'COULD NOT RUN' : 'FAILED';
    return `${verdict}: ${pass} passed, ${fail} failed, ${skip} skipped, ${note} noted (${(elapsedMs / 1000).toFixed(1)} s)`;
  }

  exitCode(): number {
    if (this.cannotRun) return EXIT.cannotRun;
    return this.tally.fail > 0 ? EXIT.failed : EXIT.passed;
  }
}
