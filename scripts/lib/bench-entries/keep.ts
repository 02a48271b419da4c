// Bench entries: keeps what an entry imported alive, so esbuild cannot tree-shake it away.
export function keep(value: unknown): void {
  (globalThis as { __bench?: unknown }).__bench = value;
}
