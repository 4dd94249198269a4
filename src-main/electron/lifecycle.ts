/**
 * Quitting and shutting down with runs in flight, and which run File › Export run… means.
 * Pure over injected functions, so the order of events is tested without Electron.
 */
import { parseTyped, type Channel, type RequestOf, type Responses } from '../shared/contract.js';
import type { RunSummary } from '../shared/runs.js';
import type { ServiceLike } from './ipc.js';

export interface Shutdown {
  /** app 'before-quit': holds the quit until running runs are stopped (status `stopped`). */
  beforeQuit(event: { preventDefault(): void }): void;
  /** powerMonitor 'shutdown', Windows 'session-end': runs are marked `interrupted`, then quit. */
  shutdown(event?: { preventDefault?(): void }): void;
}

/** A service that does not close within this long (a hung worker) does not keep the app alive. */
export const CLOSE_TIMEOUT_MS = 20_000;

export function createShutdown(deps: {
  close: (reason: 'quit' | 'shutdown') => Promise<void>;
  quit: () => void;
  timeoutMs?: number;
}): Shutdown {
  let closing: Promise<void> | null = null;
  let closed = false;
  const closeOnce = (reason: 'quit' | 'shutdown'): Promise<void> => {
    // The first reason wins: a shutdown's quit must not turn interrupted runs into stopped ones.
    closing ??= Promise.race([
      deps.close(reason).catch((err: unknown) => console.error('closing the service failed:', err)),
      new Promise<void>((resolve) => setTimeout(resolve, deps.timeoutMs ?? CLOSE_TIMEOUT_MS).unref?.()),
    ]).then(() => { closed = true; });
    return closing;
  };
  return {
    beforeQuit(event) {
      if (closed) return;
      event.preventDefault();
      void closeOnce('quit').then(deps.quit);
    },
    shutdown(event) {
      if (closed) return;
      // On Linux this delays the power-off until the store is closed.
      event?.preventDefault?.();
      void closeOnce('shutdown').then(deps.quit);
    },
  };
}

/**
 * The run File › Export run… exports: the one the renderer last reported as shown, else the
 * newest finished run. Null when there is none.
 */
export function pickRunToExport(selected: string | null, runs: readonly RunSummary[]): RunSummary | null {
  const chosen = selected ? runs.find((r) => r.id === selected) : undefined;
  if (chosen) return chosen;
  const finished = runs.filter((r) => r.status !== 'queued' && r.status !== 'running');
  return finished.reduce<RunSummary | null>((best, r) => (!best || r.createdAt > best.createdAt ? r : best), null);
}

/**
 * For requests main builds itself (menus, drops): the same parse as the renderer's, then the
 * service, as the app: the paths come from native dialogs or the OS's drop, not from the page.
 */
export async function callService<C extends Channel>(service: ServiceLike, channel: C, request: RequestOf<C>): Promise<Responses[C]> {
  return service.invoke(parseTyped(channel, request), { face: 'app' });
}

export function fileSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'run';
}
