/** A small contract client over a real WebSocket, for tests. */
import WebSocket from 'ws';
import type { Channel, EventName, Events, RequestOf, Responses } from '../../src-main/shared/contract.js';

export class WsClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  readonly events: Array<{ event: string; payload: unknown }> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { id?: number; ok?: boolean; value?: unknown; error?: { name: string; message: string }; event?: string; payload?: unknown };
      if (m.event) {
        this.events.push({ event: m.event, payload: m.payload });
        for (const l of this.listeners.get(m.event) ?? []) l(m.payload);
        return;
      }
      const p = this.pending.get(m.id as number);
      if (!p) return;
      this.pending.delete(m.id as number);
      if (m.ok) p.resolve(m.value);
      else p.reject(Object.assign(new Error(m.error!.message), { name: m.error!.name }));
    });
  }

  static connect(url: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> {
    return this.raw({ channel, request }) as Promise<Responses[C]>;
  }

  /** Sends any object as a message (for malformed-message tests). */
  raw(message: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ id, ...message }));
    });
  }

  on<E extends EventName>(event: E, listener: (p: Events[E]) => void): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener as (p: unknown) => void);
  }

  waitFor<E extends EventName>(event: E, pred: (p: Events[E]) => boolean, timeoutMs = 120_000): Promise<Events[E]> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
      this.on(event, (p) => { if (pred(p)) { clearTimeout(t); resolve(p); } });
    });
  }

  close(): void { this.ws.close(); }
}
