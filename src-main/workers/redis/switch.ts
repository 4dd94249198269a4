/**
 * Where runs go, changeable while Layerlab runs (the desktop app's queue setting): this machine's
 * trainers, or a Redis queue. A change takes effect for every run not yet taken: the old queue
 * hands back the runs no worker has taken (they go first in line to the new place), and keeps its
 * connection until the runs its workers train have ended, then closes.
 */
import type { WorkerHandle, WorkerHost, WorkerKind } from '../host.js';
import type { RedisHost } from './host.js';

export class QueueSwitch implements WorkerHost {
  private current: RedisHost | null = null;
  private readonly retiring = new Set<RedisHost>();

  constructor(private readonly local: WorkerHost) {}

  /** Runs go out all at once to a queue (its workers pace them), by the core count here. */
  get remote(): boolean { return this.current !== null; }

  /** The queue runs go to now; null: this machine. */
  get queue(): RedisHost | null { return this.current; }

  start(kind: WorkerKind, options?: { maxOldSpaceMB?: number }): WorkerHandle {
    return (this.current ?? this.local).start(kind, options);
  }

  /** From now on runs go to `next` (null: this machine); the old queue's untaken runs follow. */
  async use(next: RedisHost | null): Promise<void> {
    const old = this.current;
    this.current = next;
    if (!old) return;
    this.retiring.add(old);
    await old.retire(() => {
      this.retiring.delete(old);
      void old.close();
    });
  }

  async close(): Promise<void> {
    const all = [...this.retiring, ...(this.current ? [this.current] : [])];
    this.retiring.clear();
    this.current = null;
    await Promise.all(all.map((h) => h.close()));
  }
}
