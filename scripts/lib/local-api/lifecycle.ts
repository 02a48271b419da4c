// Stopping the local API: on SIGINT, SIGTERM and SIGHUP, and when whatever started it is gone (`kill <npm pid>` leaves
// npm's shell to die and this process to be re-parented; a SIGKILLed npm leaves the shell behind, its parent gone).
import { readFileSync } from 'node:fs';

/** How often the parent is looked at. */
const WATCH_MS = 500;

/** The parent pid of `pid` from /proc (Linux), or undefined. */
function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 1 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Calls `stop(reason)` once: on SIGINT, SIGTERM or SIGHUP, or when this process's parent changes
 * (it died and this one was re-parented), or — under `npm run`, whose shell sits between npm and
 * this process — when npm itself is gone.
 */
export function stopWhenAsked(stop: (reason: string) => void): void {
  let stopped = false;
  const once = (reason: string): void => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    stop(reason);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => once(signal));
  const parent = process.ppid;
  const npm = process.env['npm_lifecycle_event'] !== undefined ? parentOf(parent) : undefined;
  const timer = setInterval(() => {
    if (process.ppid !== parent) once('its parent process exited');
    else if (npm !== undefined && !alive(npm)) once('npm exited');
  }, WATCH_MS);
  timer.unref();
}
