// Bench helper: tasks timed in interleaved batches, in CPU time, so drift and other tenants of a shared machine land on
// every task alike and time spent waiting for a core is left out.

/** A task: `call(i)` is its i-th call (sync or async); `before(i)`, if any, runs before each batch, outside the timing. */
export interface TimedTask {
  readonly name: string;
  readonly call: (i: number) => unknown;
  readonly before?: (i: number) => void;
}

/** CPU time (user + system) of this process so far, in µs. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
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

/**
 * Runs `batches` batches of `batchSize` calls of every task, one batch of each task in turn (in a
 * new order every time), each call awaited when it returns a promise, and resolves with each
 * task's mean CPU time per call in µs. On an idle machine that is its wall time (the calls never
 * wait on I/O); on a busy one it leaves out the time the process waited for a core.
 */
export async function timeInterleaved(tasks: readonly TimedTask[], batches: number, batchSize: number): Promise<Record<string, number>> {
  const totals = new Map<string, number>(tasks.map((t) => [t.name, 0]));
  const next = new Map<string, number>(tasks.map((t) => [t.name, 0]));
  for (let b = 0; b < batches; b++) {
    for (const k of orderOf(tasks.length, b)) {
      const task = tasks[k] as TimedTask;
      let i = next.get(task.name) as number;
      task.before?.(i);
      const started = cpuMicros();
      for (let n = 0; n < batchSize; n++, i++) {
        const result = task.call(i);
        if (result instanceof Promise) await result;
      }
      totals.set(task.name, (totals.get(task.name) as number) + cpuMicros() - started);
      next.set(task.name, i);
    }
  }
  const calls = batches * batchSize;
  return Object.fromEntries([...totals].map(([name, micros]) => [name, micros / calls]));
}
