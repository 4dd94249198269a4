import { describe, it, expect, vi, beforeEach } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { createApi, installDropImport, type DropEventLike, type DropTarget, type IpcLike } from '../../../src-main/electron/preload-api.js';
import { IPC } from '../../../src-main/electron/ipc-names.js';
import { CHANNELS, EVENT_NAMES } from '../../../src-main/shared/channels.js';
import type { Channel, EventName } from '../../../src-main/shared/contract.js';

const exposed: Record<string, unknown> = {};
const fakeIpcRenderer = { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), send: vi.fn(), sendSync: vi.fn() };
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => { exposed[key] = value; } },
  ipcRenderer: fakeIpcRenderer,
  webUtils: { getPathForFile: (f: { path: string }) => f.path },
}));

function fakeIpc(answer: (channel: string, ...args: unknown[]) => unknown = () => ({ ok: true, value: 'v' })) {
  let eventListener: ((event: unknown, ...args: unknown[]) => void) | null = null;
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => answer(channel, ...args)),
    on: vi.fn((channel: string, l: (event: unknown, ...args: unknown[]) => void) => { if (channel === IPC.event) eventListener = l; }),
  };
  const fire = (name: string, payload: unknown) => eventListener!({ sender: 'IpcRendererEvent', ports: [] }, name, payload);
  return { ipc: ipc as unknown as IpcLike & typeof ipc, fire };
}

describe('the preload API', () => {
  it('exposes invoke, on and the dialogs, and nothing else', () => {
    const api = createApi(fakeIpc().ipc);
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pickFile', 'pickFolder', 'selectRun']);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('makes every contract channel invokable over the one invoke channel', async () => {
    const { ipc } = fakeIpc();
    const api = createApi(ipc);
    for (const channel of CHANNELS) await expect(api.invoke(channel, {} as never)).resolves.toBe('v');
    expect(ipc.invoke.mock.calls.map((c) => c[0])).toEqual(CHANNELS.map(() => IPC.invoke));
    expect(ipc.invoke.mock.calls.map((c) => c[1])).toEqual([...CHANNELS]);
  });

  it('refuses other channels without sending anything', async () => {
    const { ipc } = fakeIpc();
    const api = createApi(ipc);
    for (const channel of ['fs:read', 'layerlab:pick-file', '__proto__', 'constructor']) {
      await expect(api.invoke(channel as Channel, {} as never)).rejects.toMatchObject({ name: 'ContractError' });
    }
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('rejects with an Error carrying the service error', async () => {
    const api = createApi(fakeIpc(() => ({ ok: false, error: { name: 'UserError', message: 'no run with id r1' } })).ipc);
    const err = await api.invoke('runs:show', { id: 'r1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'UserError', message: 'no run with id r1' });
  });

  it('delivers events by name, payload only, until unsubscribed', () => {
    const { ipc, fire } = fakeIpc();
    const api = createApi(ipc);
    const epoch = vi.fn();
    const batch = vi.fn();
    const off = api.on('runs:epoch', epoch);
    api.on('runs:batch', batch);
    fire('runs:epoch', { runId: 'r1', loss: 0.3 });
    expect(epoch).toHaveBeenCalledWith({ runId: 'r1', loss: 0.3 });
    expect(epoch.mock.calls[0]).toHaveLength(1);
    expect(batch).not.toHaveBeenCalled();
    off();
    fire('runs:epoch', { runId: 'r1', loss: 0.2 });
    expect(epoch).toHaveBeenCalledTimes(1);
    fire('not:an-event', {});
    expect(batch).not.toHaveBeenCalled();
  });

  it('accepts every contract event and refuses others', () => {
    const api = createApi(fakeIpc().ipc);
    for (const name of EVENT_NAMES) expect(typeof api.on(name, () => undefined)).toBe('function');
    expect(() => api.on('runs:start' as EventName, () => undefined)).toThrow(/unknown event/);
  });

  it('unwraps the dialogs', async () => {
    const picked = { handle: 'h'.repeat(24), name: 'x.csv' };
    const { ipc } = fakeIpc((channel) => ({ ok: true, value: channel === IPC.pickFile ? picked : null }));
    const api = createApi(ipc);
    await expect(api.pickFile({ title: 'CSV' })).resolves.toEqual(picked);
    expect(ipc.invoke).toHaveBeenCalledWith(IPC.pickFile, { title: 'CSV' });
    await expect(api.pickFolder()).resolves.toBeNull();
    await expect(api.selectRun('r1')).resolves.toBeUndefined();
    expect(ipc.invoke).toHaveBeenCalledWith(IPC.selectRun, { id: 'r1' });
  });
});

describe('file drops', () => {
  let listeners: Map<string, (e: DropEventLike) => void>;
  let target: DropTarget;
  beforeEach(() => {
    listeners = new Map();
    target = { addEventListener: (type, l) => { listeners.set(type, l); } };
  });
  const dropEvent = (types: string[], files: unknown[]) => ({ preventDefault: vi.fn(), dataTransfer: { types, files } });

  it('imports the first dropped file instead of navigating to it', () => {
    const { ipc } = fakeIpc();
    installDropImport(target, (f) => (f as { path: string }).path, ipc);
    const over = dropEvent(['Files'], []);
    listeners.get('dragover')!(over);
    expect(over.preventDefault).toHaveBeenCalled();
    const drop = dropEvent(['Files'], [{ path: '/data/iris.csv' }, { path: '/data/other.csv' }]);
    listeners.get('drop')!(drop);
    expect(drop.preventDefault).toHaveBeenCalled();
    expect(ipc.invoke).toHaveBeenCalledExactlyOnceWith(IPC.importDropped, { path: '/data/iris.csv' });
  });

  it('leaves drags inside the page (layers in the editor) alone', () => {
    const { ipc } = fakeIpc();
    installDropImport(target, () => '/x', ipc);
    const over = dropEvent(['text/plain'], []);
    listeners.get('dragover')!(over);
    const drop = dropEvent(['text/plain'], []);
    listeners.get('drop')!(drop);
    expect(over.preventDefault).not.toHaveBeenCalled();
    expect(drop.preventDefault).not.toHaveBeenCalled();
    expect(ipc.invoke).not.toHaveBeenCalled();
  });
});

describe('preload.ts', () => {
  it('exposes only `api` in the main world, without ipcRenderer', async () => {
    const windowListeners: string[] = [];
    vi.stubGlobal('addEventListener', (type: string) => { windowListeners.push(type); });
    await import('../../../src-main/electron/preload.js');
    expect(Object.keys(exposed)).toEqual(['api']);
    const api = exposed.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on', 'pickFile', 'pickFolder', 'selectRun']);
    expect(Object.values(api)).not.toContain(fakeIpcRenderer);
    expect(fakeIpcRenderer.on).toHaveBeenCalledWith(IPC.event, expect.any(Function));
    expect(windowListeners.sort()).toEqual(['dragover', 'drop']);
    vi.unstubAllGlobals();
  });

  it.skipIf(!existsSync('out/preload/index.cjs'))('is built as CommonJS that requires nothing but electron (skipped: not built)', () => {
    const code = readFileSync('out/preload/index.cjs', 'utf8');
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toContain('zod');
  });
});
