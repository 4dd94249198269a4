/**
 * The Redis queue's state (runs trained by `layerlab worker` processes): null when runs train on
 * this machine only. Asked once per connection (system:info) and kept current by the
 * 'system:queue' event, each payload parsed by the contract's schema first: one that does not
 * parse is dropped.
 */
import { QueueEventSchema, type Api, type QueueStatus } from '../../../../src-main/shared/contract.js';

export class QueueStore {
  status = $state<QueueStatus | null>(null);
  /** The user closed the 'resumed' note; it comes back with the next pause. */
  resumedSeen = $state(false);
  private readonly off: () => void;

  constructor(private readonly api: Api) {
    this.off = api.on('system:queue', (payload) => this.apply(payload));
  }

  dispose(): void { this.off(); }

  /** Takes an event's payload if it parses; returns whether it did. */
  apply(payload: unknown): boolean {
    const r = QueueEventSchema.safeParse(payload);
    if (!r.success) return false;
    if (r.data.status?.state === 'paused') this.resumedSeen = false;
    this.status = r.data.status;
    return true;
  }

  async refresh(): Promise<void> {
    try {
      const info = await this.api.invoke('system:info', {});
      this.apply({ status: info.queue ?? null });
    } catch {
      // Not connected: the next connection asks again.
    }
  }
}
