// What the bench's warm-path child (bench-warm.ts) is asked and reports, apart from it: importing it would run it.

/** The front doors, as the local API's models of the template's APIs build their events. */
export const DOORS = ['rest-token', 'rest-request', 'http-2.0', 'http-1.0'] as const;
export type Door = (typeof DOORS)[number];

export interface WarmArgs {
  readonly bundle: string;
  readonly rounds: number;
  /** Calls of each task per round, in batches of `batchSize`. */
  readonly perRound: number;
  readonly batchSize: number;
  readonly tracing?: boolean;
  /** Time the four front doors too (the untraced run only). */
  readonly doors?: boolean;
}

/** Mean µs per call of each task, one record per measured round. */
export interface WarmReport {
  readonly rounds: Record<string, number>[];
  /** The decision line the yardstick writes: one the handler wrote. */
  readonly lineBytes: number;
  readonly jwks: { readonly atStart: number; readonly warmPath: number };
  readonly linesPerDecision: number;
}
