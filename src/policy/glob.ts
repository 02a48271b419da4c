// IAM resource wildcards (`*` any run of characters, `/` included; `?` one character) and the
// language questions the policy builder asks about them and about route templates.
import type { RouteTemplate } from '../rules/route';

/** The IAM wildcard pattern for a template's path: `{param}` and `{proxy+}` become `*`. */
export function templateGlob(template: RouteTemplate): string {
  if (template.segments.length === 0) return '/';
  return template.segments.map((s) => (s.kind === 'literal' ? '/' + s.value : '/*')).join('');
}

/** IAM wildcard patterns compiled for matching: does a text match any of them? */
export interface GlobSet {
  test(text: string): boolean;
}

/** True when `chunk` (literals and `?`) matches `text` at `at`. */
function chunkAt(chunk: string, text: string, at: number): boolean {
  for (let j = 0; j < chunk.length; j++) {
    const c = chunk.charCodeAt(j);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(at + j)) return false;
  }
  return true;
}

/** The first position in [from, to] where `chunk` matches `text`, or -1. */
function findChunk(chunk: string, text: string, from: number, to: number): number {
  if (!chunk.includes('?')) {
    const at = text.indexOf(chunk, from);
    return at >= 0 && at <= to ? at : -1;
  }
  for (let at = from; at <= to; at++) if (chunkAt(chunk, text, at)) return at;
  return -1;
}

/**
 * One pattern as a matcher: the fixed chunks between `*`s, each placed at its first fit after the
 * previous one (first fit leaves the most room, so it is exact). O(text × pattern), never worse:
 * a RegExp with several `.*` backtracks polynomially, and request paths are up to 1,600 characters.
 */
function globMatcher(pattern: string): (text: string) => boolean {
  const chunks = pattern.split('*');
  const first = chunks[0] as string;
  if (chunks.length === 1) return (text) => text.length === first.length && chunkAt(first, text, 0);
  const last = chunks[chunks.length - 1] as string;
  const middle = chunks.slice(1, -1).filter((c) => c !== '');
  return (text) => {
    const end = text.length - last.length;
    if (end < first.length || !chunkAt(first, text, 0) || !chunkAt(last, text, end)) return false;
    let pos = first.length;
    for (const chunk of middle) {
      const at = findChunk(chunk, text, pos, end - chunk.length);
      if (at < 0) return false;
      pos = at + chunk.length;
    }
    return true;
  };
}

/** Compiles IAM wildcard patterns (`*` any run of characters, `?` one) into a set that matches any of them. */
export function compileGlobs(patterns: readonly string[]): GlobSet {
  const matchers = patterns.map(globMatcher);
  return { test: (text) => matchers.some((m) => m(text)) };
}

/** True when the string contains an IAM wildcard character and so cannot be said exactly. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

// --- Automata over request paths ------------------------------------------------------------
// Template: deterministic; state = position * 2 + inside-a-variable-segment flag; -1 is dead.
// Glob: nondeterministic; state = index in the pattern (`*` loops and may be skipped).

const PARAM = 1;
const PROXY = 2;
type Token = string | typeof PARAM | typeof PROXY;

function templateTokens(template: RouteTemplate): Token[] {
  if (template.segments.length === 0) return ['/'];
  const tokens: Token[] = [];
  for (const seg of template.segments) {
    tokens.push('/');
    if (seg.kind === 'literal') tokens.push(...seg.value);
    else tokens.push(seg.kind === 'param' ? PARAM : PROXY);
  }
  return tokens;
}

function templateStep(tokens: readonly Token[], state: number, ch: string): number {
  if (state < 0) return -1;
  const pos = state >> 1;
  const inside = state & 1;
  const token = tokens[pos];
  if (token === undefined) return -1;
  if (typeof token === 'string') return token === ch ? (pos + 1) << 1 : -1;
  if (ch !== '/') return (pos << 1) | 1;
  if (inside === 0) return -1;
  if (token === PROXY) return pos << 1;
  return tokens[pos + 1] === '/' ? (pos + 2) << 1 : -1;
}

function templateAccepts(tokens: readonly Token[], state: number): boolean {
  if (state < 0) return false;
  const pos = state >> 1;
  if (pos === tokens.length) return true;
  return pos === tokens.length - 1 && (state & 1) === 1 && typeof tokens[pos] !== 'string';
}

function globClosure(glob: string, state: number, out: Set<number>): void {
  let s = state;
  out.add(s);
  while (glob[s] === '*') out.add(++s);
}

/**
 * A path matched by template `inside` and by IAM pattern `glob` but not by template `except`
 * (pass the template that wins routing over `inside`, or null), or undefined when there is none.
 * Exact for these regular languages: a breadth-first search of their product automaton. The
 * witness may contain U+0000, standing for any character no pattern names.
 */
export function overlapWitness(inside: RouteTemplate, glob: string, except: RouteTemplate | null): string | undefined {
  const dt = templateTokens(inside);
  const xt = except === null ? null : templateTokens(except);
  // Characters that behave differently somewhere: every literal, `/`, and one stand-in for the rest.
  const alphabet = new Set<string>(['/', '\u0000']);
  for (const t of dt) if (typeof t === 'string') alphabet.add(t);
  if (xt !== null) for (const t of xt) if (typeof t === 'string') alphabet.add(t);
  for (const ch of glob) if (ch !== '*') alphabet.add(ch);

  const gSize = glob.length + 1;
  const xSize = xt === null ? 1 : xt.length * 2 + 3;
  const key = (d: number, g: number, x: number): number => (d * gSize + g) * xSize + (x + 1);
  // Each state seen, with the state it was reached from and the character read (for the witness).
  const from = new Map<number, [number, string]>();
  const queue: number[] = [];
  const push = (d: number, g: number, x: number, parent: number, ch: string): void => {
    const k = key(d, g, x);
    if (!from.has(k)) {
      from.set(k, [parent, ch]);
      queue.push(d, g, x);
    }
  };
  const start = new Set<number>();
  globClosure(glob, 0, start);
  for (const g of start) push(0, g, xt === null ? -1 : 0, -1, '');

  for (let i = 0; i < queue.length; i += 3) {
    const d = queue[i] as number;
    const g = queue[i + 1] as number;
    const x = queue[i + 2] as number;
    const here = key(d, g, x);
    if (templateAccepts(dt, d) && g === glob.length && !(xt !== null && templateAccepts(xt, x))) {
      let witness = '';
      for (let k = here; k !== -1; ) {
        const [parent, ch] = from.get(k) as [number, string];
        witness = ch + witness;
        k = parent;
      }
      return witness;
    }
    for (const ch of alphabet) {
      const d2 = templateStep(dt, d, ch);
      if (d2 < 0) continue;
      const x2 = xt === null ? -1 : templateStep(xt, x, ch);
      const next = new Set<number>();
      const pc = glob[g];
      if (pc === '*') globClosure(glob, g, next);
      else if (pc === ch || pc === '?') globClosure(glob, g + 1, next);
      for (const g2 of next) push(d2, g2, x2, here, ch);
    }
  }
  return undefined;
}

/** True when some path is matched by template `inside` and IAM pattern `glob` and not by `except`. */
export function overlaps(inside: RouteTemplate, glob: string, except: RouteTemplate | null): boolean {
  return overlapWitness(inside, glob, except) !== undefined;
}
