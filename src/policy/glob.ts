// IAM resource wildcards: `*` any run of characters (`/` included, and the empty run), `?` one character.

/** One IAM wildcard pattern, compiled: does a text match it? */
export type GlobMatcher = (text: string) => boolean;

/** IAM wildcard patterns compiled for matching: does a text match any of them? */
export interface GlobSet {
  test(text: string): boolean;
  /** The matcher of each pattern, in order (to reuse when a set is remade with a few patterns changed). */
  readonly matchers: readonly GlobMatcher[];
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
function globMatcher(pattern: string): GlobMatcher {
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

/**
 * Compiles IAM wildcard patterns (`*` any run of characters, `?` one) into a set that matches any
 * of them. `reuse(i)` may hand back an already compiled matcher for pattern `i`.
 */
export function compileGlobs(patterns: readonly string[], reuse: (i: number) => GlobMatcher | undefined = () => undefined): GlobSet {
  const matchers = patterns.map((p, i) => reuse(i) ?? globMatcher(p));
  return { test: (text) => matchers.some((m) => m(text)), matchers };
}

/** True when the string contains an IAM wildcard character and so cannot be said exactly. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}
