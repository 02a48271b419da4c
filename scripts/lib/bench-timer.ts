// Bench helper: tasks timed in interleaved batches, so drift on a shared machine lands on every task alike, and summed
// up without the batches a burst from another tenant of the machine slowed down.

/** A task: `call(i)` is its i-th call (sync or async); `before(i)`, if any, runs before each batch, outside the timing. */
export interface TimedTask {
  readonly name: string;
  readonly call: (i: number) => unknown;
  readonly before?: (i: number) => void;
}

/** The order of the tasks in batch round `b`: a fixed-seed shuffle, so no task always follows the same one (and its garbage). */
function orderOf(count: number, b: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let seed = (b + 1) * 2654435761;
  for (let i = count - 1; i > 0; i--) {
    seed = (Math.imul(seed ^ (seed >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

/** The mean of `xs` without its lowest and highest tenth (a burst from another tenant of the machine lands in one batch). */
export function trimmedMean(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length / 10);
  const kept = s.slice(cut, s.length - cut);
  return kept.reduce((n, x) => n + x, 0) / kept.length;
}

/**
 * Runs `batches` batches of `batchSize` calls of every task, one batch of each task in turn (in a
 * new order every time), each call awaited when it returns a promise, and resolves with each
 * task's wall time per call in µs: the trimmed mean of its batches (see trimmedMean). Wall time,
 * not the process's CPU time: that would also count V8's parallel GC threads.
 */
export async function timeInterleaved(tasks: readonly TimedTask[], batches: number, batchSize: number): Promise<Record<string, number>> {
  const perBatch = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
  const next = new Map<string, number>(tasks.map((t) => [t.name, 0]));
  for (let b = 0; b < batches; b++) {
    for (const k of orderOf(tasks.length, b)) {
      const task = tasks[k] as TimedTask;
      let i = next.get(task.name) as number;
      task.before?.(i);
      const started = performance.now();
      for (let n = 0; n < batchSize; n++, i++) {
        const result = task.call(i);
        if (result instanceof Promise) await result;
      }
      perBatch.get(task.name)?.push(((performance.now() - started) * 1000) / batchSize);
      next.set(task.name, i);
    }
  }
  return Object.fromEntries([...perBatch].map(([name, xs]) => [name, trimmedMean(xs)]));
}
