/**
 * The only file that talks to the service. In the desktop app the preload exposes `window.api`
 * (invoke/on over IPC); in browser mode (`layerlab serve`) the same contract travels over a
 * WebSocket to the page's own origin, guarded by the token from the page URL.
 */
import type { Api, Channel, EventName, Events, RequestOf, Responses } from '../../../src-main/shared/contract.js';
import type { ErrorInfo } from '../../../src-main/shared/errors.js';
import { Transfers } from './transfers.js';
import { isMessageCode, type Message, type MessageParams } from '../../../src-main/shared/messages.js';

/** An error the service (or the connection) reported; `name` is the service's error name. */
export class ServiceError extends Error {
  /** The message as a code with parameters, when the service sent one (translated by the page). */
  readonly coded?: Message;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = info.name;
    if (info.coded) this.coded = info.coded;
  }
}

/** The subset of the browser WebSocket we use, so tests can hand in a fake. */
export interface WireSocket {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

const OPEN = 1;

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; channel: string }

/** `no-token`: the page was opened without ?token=; `bad-token`: the server refused the token it has. */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'no-token' | 'bad-token';

/**
 * The contract over a WebSocket: `{id, channel, request}` out, `{id, ok, value|error}` and
 * `{event, payload}` in. Requests made before the socket opens wait for it; a lost connection
 * fails what is in flight and reconnects with a growing delay.
 */
export class WsApi implements Api {
  private socket: WireSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly outbox: string[] = [];
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private retryMs = 250;
  private closed = false;
  state: ConnectionState = 'connecting';

  /** Whether a socket ever opened: a first connection that fails may be a refused token. */
  private opened = false;

  /**
   * `tokenOk`: asks the server whether the token is good (browser mode), after a first connection
   * fails: a refused token then ends the retries with state 'bad-token' instead of retrying forever.
   */
  constructor(private readonly open: () => WireSocket, private readonly schedule: (fn: () => void, ms: number) => void = (fn, ms) => void setTimeout(fn, ms), private readonly tokenOk?: () => Promise<boolean>) {
    this.connect();
  }

  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> {
    const id = this.nextId++;
    const text = JSON.stringify({ id, channel, request });
    return new Promise<Responses[C]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, channel });
      if (this.socket && this.socket.readyState === OPEN) this.socket.send(text);
      else this.outbox.push(text);
    });
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => { set.delete(l); };
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => { this.stateListeners.delete(listener); };
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  /** Handles one message from the server; exposed for tests. */
  receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try { msg = JSON.parse(data); } catch { return; }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { id?: unknown; ok?: unknown; value?: unknown; error?: unknown; event?: unknown; payload?: unknown };
    if (typeof m.event === 'string') {
      for (const l of [...(this.listeners.get(m.event) ?? [])]) {
        try { l(m.payload); } catch (err) { queueMicrotask(() => { throw err; }); }
      }
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.ok === true) p.resolve(m.value);
    else p.reject(new ServiceError(toInfo(m.error)));
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private connect(): void {
    const socket = this.open();
    this.socket = socket;
    this.setState('connecting');
    socket.onopen = () => {
      this.opened = true;
      this.retryMs = 250;
      this.setState('open');
      for (const text of this.outbox.splice(0)) socket.send(text);
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => { /* onclose follows and does the work */ };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.setState('closed');
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new ServiceError({ name: 'ConnectionError', message: `connection to Layerlab lost during ${p.channel}` }));
      }
      if (this.closed) return;
      const wait = this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, 5000);
      const retry = () => this.schedule(() => { if (!this.closed) this.connect(); }, wait);
      if (this.opened || !this.tokenOk) { retry(); return; }
      // Never connected: is it the token? (The WebSocket API hides the server's 401.)
      this.tokenOk().then((ok) => {
        if (ok) retry();
        else { this.closed = true; this.setState('bad-token'); }
      }, retry);
    };
  }
}

function toInfo(e: unknown): ErrorInfo {
  if (typeof e === 'object' && e !== null) {
    const o = e as { name?: unknown; message?: unknown; coded?: unknown };
    const info: ErrorInfo = { name: typeof o.name === 'string' ? o.name : 'Error', message: typeof o.message === 'string' ? o.message : 'unknown error' };
    const c = o.coded as { code?: unknown; params?: unknown } | undefined;
    if (c && isMessageCode(c.code) && typeof c.params === 'object' && c.params !== null) {
      const params = Object.fromEntries(Object.entries(c.params).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as MessageParams;
      info.coded = { code: c.code, params };
    }
    return info;
  }
  return { name: 'Error', message: 'unknown error' };
}

const TOKEN_KEY = 'layerlab.token';

/**
 * The token from `?token=` (remembered for reloads in this tab). It is taken out of the address
 * bar so it does not end up in screenshots or the history.
 */
export function takeToken(loc: Location, storage: Storage, history: History): string {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? '';
}

export function socketUrl(loc: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws?token=${encodeURIComponent(token)}`;
}

/** A file chosen in the desktop app's native dialog: a handle for requests, a name to show. */
export interface PickedFile { handle: string; name: string }

/** What a native open dialog may be told: its title and the kinds of file it offers. */
export interface PickOptions { title?: string; filters?: { name: string; extensions: string[] }[] }

/** The desktop preload's object; `pickFile` is optional (feature-detected). */
export interface DesktopApi extends Api {
  pickFile?: (options?: PickOptions) => Promise<PickedFile | null>;
  pickFolder?: () => Promise<PickedFile | null>;
}

declare global {
  interface Window { api?: DesktopApi }
}

export interface Connection {
  api: Api;
  /** A native file dialog, when the desktop shell offers one. */
  pickFile: ((options?: PickOptions) => Promise<PickedFile | null>) | null;
  /** A native choose-folder dialog (desktop). */
  pickFolder: (() => Promise<PickedFile | null>) | null;
  /** Uploads and downloads over HTTP (browser mode). */
  transfers: Transfers | null;
  onState(listener: (s: ConnectionState) => void): () => void;
}

export function connect(): Connection {
  const desktop = window.api;
  if (desktop) {
    return {
      api: desktop,
      pickFile: typeof desktop.pickFile === 'function' ? (options) => desktop.pickFile!(options) : null,
      pickFolder: typeof desktop.pickFolder === 'function' ? () => desktop.pickFolder!() : null,
      transfers: null,
      onState: (l) => { l('open'); return () => {}; },
    };
  }
  const token = takeToken(window.location, sessionStorage, window.history);
  if (!token) {
    // Opened without the address `layerlab serve` printed: say so instead of retrying forever.
    const none: Api = {
      invoke: () => Promise.reject(new ServiceError({ name: 'ConnectionError', message: 'no token: open the address layerlab serve printed' })),
      on: () => () => {},
    };
    return { api: none, pickFile: null, pickFolder: null, transfers: null, onState: (l) => { l('no-token'); return () => {}; } };
  }
  const tokenOk = () => fetch(`/auth?token=${encodeURIComponent(token)}`, { cache: 'no-store' }).then((r) => r.status !== 401);
  const ws = new WsApi(() => new WebSocket(socketUrl(window.location, token)) as unknown as WireSocket, undefined, tokenOk);
  return { api: ws, pickFile: null, pickFolder: null, transfers: new Transfers(token), onState: (l) => { l(ws.state); return ws.onState(l); } };
}
