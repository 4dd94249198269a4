/** Processes by parent, read from /proc (Linux): for tests that kill a CLI and watch its workers. */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose parent is `ppid` and that are not zombies. */
export function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(Number(name));
    if (stat && stat.ppid === ppid && stat.state !== 'Z') out.push(Number(name));
  }
  return out;
}

/** True while the process exists and is not a zombie (a container's init may never reap it). */
export function running(pid: number): boolean {
  const s = statOf(pid);
  return Boolean(s && s.state !== 'Z');
}

function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …; comm may hold spaces and parentheses: split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

/** Polls `check` every 50 ms until it is true; false when `limitMs` passes first (a hang guard, not a speed test). */
export async function waitFor(check: () => boolean, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
