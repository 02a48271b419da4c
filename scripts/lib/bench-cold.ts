// Bench helper: cold starts as wall time of spawned `node` processes, variants interleaved, medians compared.
import { spawn } from 'node:child_process';
import { median } from './bench-targets';

/** One way to start: `node -e <code>` with an environment. */
export interface ColdVariant {
  readonly name: string;
  readonly code: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface ColdFigures {
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
}

/** Wall time (ms) of one `node -e <code>` run; rejects when it exits non-zero. */
function timeOnce(code: string, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', code], { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (status) => {
      const ms = performance.now() - started;
      if (status === 0) resolve(ms);
      else reject(new Error(`cold start: \`node -e "${code}"\` exited ${String(status)}: ${stderr.slice(0, 500)}`));
    });
  });
}

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

/**
 * Runs every variant `runs` times, interleaved (one of each per round, the order rotating), and
 * returns `{ [name]: { median, p25, p75 } }` in ms.
 */
export async function coldStarts(variants: readonly ColdVariant[], { runs, cwd }: { runs: number; cwd: string }): Promise<Record<string, ColdFigures>> {
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + round) % variants.length] as ColdVariant;
      samples.get(v.name)?.push(await timeOnce(v.code, v.env, cwd));
    }
  }
  const q = (xs: readonly number[], p: number): number => sorted(xs)[Math.floor(p * (xs.length - 1))] as number;
  return Object.fromEntries([...samples].map(([name, xs]) => [name, { median: median(xs), p25: q(xs, 0.25), p75: q(xs, 0.75) }]));
}

/** `require` of a file, then exit at once: Lambda's init phase (pending I/O such as JWKS hydration is not waited for). */
export const requireAndExit = (file: string): string => `require(${JSON.stringify(file)});process.exit(0)`;
