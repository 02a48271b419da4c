// Bench helper: cold starts as wall time of spawned `node` processes, variants interleaved, medians compared.
import { spawn } from 'node:child_process';

/** Wall time (ms) of one `node -e <code>` run; rejects when it exits non-zero. */
function timeOnce(code, env, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', code], { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (status) => {
      const ms = performance.now() - started;
      if (status === 0) resolve(ms);
      else reject(new Error(`cold start: \`node -e "${code}"\` exited ${status}: ${stderr.slice(0, 500)}`));
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Runs every variant `runs` times, interleaved (one of each per round, the order rotating), and
 * returns `{ [name]: { median, p25, p75 } }` in ms. A variant is `{ name, code, env }`.
 */
export async function coldStarts(variants, { runs, cwd }) {
  const samples = Object.fromEntries(variants.map((v) => [v.name, []]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + round) % variants.length];
      samples[v.name].push(await timeOnce(v.code, v.env, cwd));
    }
  }
  const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))];
  return Object.fromEntries(
    Object.entries(samples).map(([name, xs]) => [name, { median: median(xs), p25: q(xs, 0.25), p75: q(xs, 0.75) }]),
  );
}

/** `require` of a file, then exit at once: Lambda's init phase (pending I/O such as JWKS hydration is not waited for). */
export const requireAndExit = (file) => `require(${JSON.stringify(file)});process.exit(0)`;
