// Interruptions: SIGINT, SIGTERM or SIGHUP abort the run once; later signals are acknowledged, not obeyed, so the clean-up finishes.

/** Exit statuses for a run stopped by a signal (128 + the signal's number, as shells report it). */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
type Handled = keyof typeof SIGNAL_EXIT;

export interface Interrupts {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** The exit status for the signal received, or undefined when none was. */
  exitCode(): number | undefined;
  /** Stops listening. */
  dispose(): void;
}

/**
 * Listens for SIGINT, SIGTERM and SIGHUP. The first aborts `signal` and says so; the run then stops
 * between requests and deletes its users. Later signals (a terminal's Ctrl-C reaches npm and this
 * process both) only say that the clean-up is under way. Should the clean-up hang past `graceMs`,
 * `giveUp` is called (it exits, naming what may be left behind).
 */
export function watchInterrupts(say: (line: string) => void, giveUp: (code: number) => void, graceMs = 30_000): Interrupts {
  const controller = new AbortController();
  let received: Handled | undefined;
  const onSignal = (sig: Handled): void => {
    if (received !== undefined) {
      say(`smoke: ${sig} again: still deleting the demo users (SIGKILL would leave them behind)`);
      return;
    }
    received = sig;
    say(`smoke: ${sig}: stopping after the request under way, then deleting the demo users`);
    controller.abort();
    setTimeout(() => giveUp(SIGNAL_EXIT[sig]), graceMs).unref();
  };
  const listeners = (Object.keys(SIGNAL_EXIT) as Handled[]).map((sig) => [sig, () => onSignal(sig)] as const);
  for (const [sig, listener] of listeners) process.on(sig, listener);
  return {
    signal: controller.signal,
    exitCode: () => (received === undefined ? undefined : SIGNAL_EXIT[received]),
    dispose: () => {
      for (const [sig, listener] of listeners) process.off(sig, listener);
    },
  };
}
