// Bench targets (docs/performance.md, "Against the targets"): each one's aim and its "at least" bound, the verdict of a
// measured value against them, the ratios they are stated in, and the exit code. Pure: tests/unit/bench-targets.test.ts.

/** A target: `value ≤ aim` passes, `value ≤ atLeast` is the bound still accepted, anything else fails. */
export interface Target {
  readonly name: string;
  /** How the table states it, e.g. `≤ 1.15× (at least ≤ 1.3×)`. */
  readonly label: string;
  readonly aim: number;
  readonly atLeast: number;
}

/** The targets of `npm run bench`; every value is "smaller is better". */
export const TARGETS = {
  newToken: { name: 'new token, decision line on', label: '≤ 1.15× library + line (at least ≤ 1.3×)', aim: 1.15, atLeast: 1.3 },
  repeatedToken: { name: 'repeated token, decision line on', label: '≤ 0.3× floor (at least ≤ 0.5×)', aim: 0.3, atLeast: 0.5 },
  coldStart: { name: 'cold start as deployed', label: '≤ +0 ms over the libraries (at least ≤ +5 ms)', aim: 0, atLeast: 5 },
  bundle: { name: 'bundle', label: '≤ 200 KB (at least ≤ 250 KB)', aim: 200 * 1024, atLeast: 250 * 1024 },
  doors: { name: 'HTTP API and REST front doors', label: 'within 5% of each other', aim: 0.05, atLeast: 0.05 },
} as const satisfies Record<string, Target>;

/** PASS: the aim is met; AT LEAST: only the "at least" bound is; FAIL: neither (or nothing was measured). */
export type Verdict = 'PASS' | 'AT LEAST' | 'FAIL';

/** The verdict of `value` against `target` (NaN, a failed measurement, fails). */
export function verdict(value: number, target: Target): Verdict {
  if (!Number.isFinite(value)) return 'FAIL';
  if (value <= target.aim) return 'PASS';
  return value <= target.atLeast ? 'AT LEAST' : 'FAIL';
}

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * A ratio taken within each round (`measured[i] / yardstick[i]`, both timed in round i) and summed
 * up as the median over rounds: drift on a shared machine moves both sides of a round together.
 */
export function ratioOfRounds(measured: readonly number[], yardstick: readonly number[]): number {
  if (measured.length !== yardstick.length) throw new RangeError('ratioOfRounds: one yardstick per round');
  return median(measured.map((m, i) => m / (yardstick[i] as number)));
}

/** How far apart the slowest and the fastest of some figures are, as a fraction of the fastest (0.05 = 5%). */
export function spread(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return Math.max(...values) / Math.min(...values) - 1;
}

/** `npm run bench` exits 1 on a FAIL only with --strict; AT LEAST never fails it. */
export function exitCode(verdicts: readonly (Verdict | '')[], strict: boolean): number {
  return strict && verdicts.includes('FAIL') ? 1 : 0;
}
