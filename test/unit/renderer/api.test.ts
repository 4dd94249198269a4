/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { WsApi, ServiceError, socketUrl, takeToken, type WireSocket } from '../../../src-renderer/src/lib/api.js';

class FakeSocket implements WireSocket {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string): void { this.sent.push(JSON.parse(data)); }
  close(): void { this.readyState = 3; this.onclose?.({}); }
  open(): void { this.readyState = 1; this.onopen?.({}); }
  reply(msg: unknown): void { this.onmessage?.({ data: JSON.stringify(msg) }); }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: (() => void)[] = [];
  const api = new WsApi(() => { const s = new FakeSocket(); sockets.push(s); return s; }, (fn) => { timers.push(fn); });
  return { api, sockets, timers };
}

describe('WsApi wire handling', () => {
  it('stops retrying and says "bad-token" when a first connection fails and the server refuses the token', async () => {
    const sockets: FakeSocket[] = [];
    const timers: (() => void)[] = [];
    let asked = 0;
    const states: string[] = [];
    const api = new WsApi(() => { const s = new FakeSocket(); sockets.push(s); return s; }, (fn) => { timers.push(fn); }, () => { asked++; return Promise.resolve(false); });
    api.onState((s) => states.push(s));
    sockets[0].close();
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toBe(1);
    expect(states).toEqual(['closed', 'bad-token']);
    expect(timers).toHaveLength(0);
  });

  it('keeps retrying when the token is good (the server is just not up yet), and never asks again once connected', async () => {
    const sockets: FakeSocket[] = [];
    const timers: (() => void)[] = [];
    let asked = 0;
    new WsApi(() => { const s = new FakeSocket(); sockets.push(s); return s; }, (fn) => { timers.push(fn); }, () => { asked++; return Promise.resolve(true); });
    sockets[0].close();
    await new Promise((r) => setTimeout(r, 0));
    expect(timers).toHaveLength(1);
    timers[0]();
    sockets[1].open();
    sockets[1].close();
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toBe(1);
    expect(timers).toHaveLength(2);
  });

  it('keeps a coded message from the service, for the page to translate', async () => {
    const { api, sockets } = setup();
    sockets[0].open();
    const p = api.invoke('compare:runs', { ids: ['a', 'b'] });
    sockets[0].reply({ id: 1, ok: false, error: { name: 'UserError', message: 'cannot compare …', coded: { code: 'compare.datasets', params: { a: 'x', b: 'y', aDataset: 'd1', bDataset: 'd2', evil: { no: 1 } } } } });
    const err = (await p.catch((e: unknown) => e)) as ServiceError;
    expect(err.coded).toEqual({ code: 'compare.datasets', params: { a: 'x', b: 'y', aDataset: 'd1', bDataset: 'd2' } });
  });

  it('queues requests until the socket opens, then sends {id, channel, request}', async () => {
    const { api, sockets } = setup();
    const p = api.invoke('datasets:list', {});
    expect(sockets[0].sent).toEqual([]);
    sockets[0].open();
    expect(sockets[0].sent).toEqual([{ id: 1, channel: 'datasets:list', request: {} }]);
    sockets[0].reply({ id: 1, ok: true, value: [{ id: 'mnist' }] });
    await expect(p).resolves.toEqual([{ id: 'mnist' }]);
  });

  it('matches responses by id, in any order', async () => {
    const { api, sockets } = setup();
    sockets[0].open();
    const a = api.invoke('runs:show', { id: 'a' });
    const b = api.invoke('runs:show', { id: 'b' });
    sockets[0].reply({ id: 2, ok: true, value: 'B' });
    sockets[0].reply({ id: 1, ok: true, value: 'A' });
    await expect(a).resolves.toBe('A');
    await expect(b).resolves.toBe('B');
  });

  it('rejects with the service error name and message', async () => {
    const { api, sockets } = setup();
    sockets[0].open();
    const p = api.invoke('datasets:import', { source: { path: '/x.csv' } });
    sockets[0].reply({ id: 1, ok: false, error: { name: 'ImportError', message: '/x.csv: line 3: expected 5 columns' } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as Error).name).toBe('ImportError');
    expect((err as Error).message).toBe('/x.csv: line 3: expected 5 columns');
  });

  it('dispatches events to listeners until they unsubscribe; ignores junk', () => {
    const { api, sockets } = setup();
    sockets[0].open();
    const got: unknown[] = [];
    const off = api.on('runs:epoch', (p) => got.push(p.epoch));
    sockets[0].reply({ event: 'runs:epoch', payload: { runId: 'r', epoch: 1 } });
    sockets[0].onmessage?.({ data: 'not json' });
    sockets[0].reply({ id: 99, ok: true, value: 1 });
    off();
    sockets[0].reply({ event: 'runs:epoch', payload: { runId: 'r', epoch: 2 } });
    expect(got).toEqual([1]);
  });

  it('fails what is in flight when the connection drops, then reconnects and resends queued work', async () => {
    const { api, sockets, timers } = setup();
    const states: string[] = [];
    api.onState((s) => states.push(s));
    sockets[0].open();
    const lost = api.invoke('runs:list', {});
    sockets[0].close();
    await expect(lost).rejects.toMatchObject({ name: 'ConnectionError' });
    expect(timers).toHaveLength(1);
    timers[0]();
    const later = api.invoke('runs:list', {});
    sockets[1].open();
    expect(sockets[1].sent).toEqual([{ id: 2, channel: 'runs:list', request: {} }]);
    sockets[1].reply({ id: 2, ok: true, value: [] });
    await expect(later).resolves.toEqual([]);
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
  });
});

describe('token and socket address', () => {
  it('takes the token from the URL, keeps it for reloads and hides it from the address bar', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage;
    let replaced = '';
    const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => { replaced = url; } } as unknown as History;
    expect(takeToken({ href: 'http://127.0.0.1:5000/?token=abc#/train' } as Location, storage, history)).toBe('abc');
    expect(replaced).toBe('/#/train');
    expect(takeToken({ href: 'http://127.0.0.1:5000/#/train' } as Location, storage, history)).toBe('abc');
  });

  it('uses ws: for http and wss: for https, on the page’s own host', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:7860' }, 'a b')).toBe('ws://127.0.0.1:7860/ws?token=a%20b');
    expect(socketUrl({ protocol: 'https:', host: 'x' }, 't')).toBe('wss://x/ws?token=t');
  });
});
