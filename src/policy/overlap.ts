// Which requests an IAM pattern reaches: the product of a route template's automaton and a glob's.
import type { RouteTemplate } from '../rules/route';

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
 * A path matched by template `inside` and by IAM pattern `glob` but by none of the templates in
 * `except` (the templates that take such a path away from `inside`: one that wins routing over
 * it, or the part of a bound route a caller is granted), or undefined when there is none. Exact
 * for these regular languages: a breadth-first search of their product automaton. The witness
 * may contain U+0000, standing for any character no pattern names.
 */
export function overlapWitness(
  inside: RouteTemplate,
  glob: string,
  except: readonly RouteTemplate[] = [],
): string | undefined {
  const dt = templateTokens(inside);
  const xts = except.map(templateTokens);
  // Characters that behave differently somewhere: every literal, `/`, and one stand-in for the rest.
  const alphabet = new Set<string>(['/', '\u0000']);
  for (const tokens of [dt, ...xts]) for (const t of tokens) if (typeof t === 'string') alphabet.add(t);
  for (const ch of glob) if (ch !== '*') alphabet.add(ch);

  // A product state as one number: mixed radix over (template, glob, each except + 1 for dead).
  const gSize = glob.length + 1;
  const xSizes = xts.map((t) => t.length * 2 + 3);
  const key = (d: number, g: number, xs: readonly number[]): number => {
    let k = d * gSize + g;
    for (let i = 0; i < xs.length; i++) k = k * (xSizes[i] as number) + ((xs[i] as number) + 1);
    return k;
  };
  // Each state seen, with the state it was reached from and the character read (for the witness).
  const from = new Map<number, [number, string]>();
  const queue: [number, number, number[]][] = [];
  const push = (d: number, g: number, xs: number[], parent: number, ch: string): void => {
    const k = key(d, g, xs);
    if (!from.has(k)) {
      from.set(k, [parent, ch]);
      queue.push([d, g, xs]);
    }
  };
  const start = new Set<number>();
  globClosure(glob, 0, start);
  for (const g of start) push(0, g, xts.map(() => 0), -1, '');

  for (let i = 0; i < queue.length; i++) {
    const [d, g, xs] = queue[i] as [number, number, number[]];
    const here = key(d, g, xs);
    if (templateAccepts(dt, d) && g === glob.length && !xts.some((xt, j) => templateAccepts(xt, xs[j] as number))) {
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
      const xs2 = xts.map((xt, j) => templateStep(xt, xs[j] as number, ch));
      const next = new Set<number>();
      const pc = glob[g];
      if (pc === '*') globClosure(glob, g, next);
      else if (pc === ch || pc === '?') globClosure(glob, g + 1, next);
      for (const g2 of next) push(d2, g2, xs2, here, ch);
    }
  }
  return undefined;
}

/** True when some path is matched by template `inside` and IAM pattern `glob` and by none of `except`. */
export function overlaps(inside: RouteTemplate, glob: string, except: readonly RouteTemplate[] = []): boolean {
  return overlapWitness(inside, glob, except) !== undefined;
}
