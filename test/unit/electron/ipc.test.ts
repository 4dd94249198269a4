import { describe, it, expect, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import {
  contractParse, forwardEvents, guarded, parsePickFileOptions, registerIpc, trustedSender, WINDOW, type SenderInfo, type ServiceLike,
} from '../../../src-main/electron/ipc.js';
import type { AnyParsed, Caller } from '../../../src-main/shared/contract.js';
import { IPC } from '../../../src-main/electron/ipc-names.js';
import { EVENT_NAMES } from '../../../src-main/shared/channels.js';
import { UserError } from '../../../src-main/shared/errors.js';

const ORIGINS = ['app://layerlab'];
const ourContents = { id: 1 } as unknown as WebContents;
const mainFrame = (url = 'app://layerlab/index.html') => ({ url, parent: null });
const event = (over: Partial<SenderInfo> = {}): SenderInfo => ({ sender: ourContents, senderFrame: mainFrame(), ...over });
const trusted = trustedSender(() => ourContents, ORIGINS);

function fakeService(impl: (channel: string, request: unknown) => unknown = () => ({ done: true })) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  // The service receives what the contract parsed, and who asked: record both.
  const invoke = vi.fn(async (channel: string, request: unknown, _caller?: Caller) => impl(channel, request));
  const service = {
    invoke: (p: AnyParsed, caller?: Caller) => invoke(p.channel, p.request, caller),
    dispatch: (p: AnyParsed, caller?: Caller) => invoke(p.channel, p.request, caller),
    on: (name: string, l: (p: unknown) => void) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(l);
      return () => { listeners.get(name)!.delete(l); };
    },
    close: vi.fn(async () => undefined),
  } as unknown as ServiceLike;
  const emit = (name: string, payload: unknown) => { for (const l of listeners.get(name) ?? []) l(payload); };
  return { service, invoke, emit, listeners };
}

const contractHandler = (service: ServiceLike) => guarded(trusted, contractParse, (parsed) => service.dispatch(parsed, WINDOW));

describe('trustedSender', () => {
  it('accepts our window main frame on our origin', () => {
    expect(trusted(event())).toBe(true);
  });

  it('refuses other web contents, subframes, other origins and destroyed frames', () => {
    expect(trusted(event({ sender: { id: 2 } }))).toBe(false);
    expect(trusted(event({ senderFrame: { url: 'app://layerlab/index.html', parent: mainFrame() } }))).toBe(false);
    expect(trusted(event({ senderFrame: mainFrame('https://evil.example/') }))).toBe(false);
    expect(trusted(event({ senderFrame: mainFrame('file:///tmp/x.html') }))).toBe(false);
    expect(trusted(event({ senderFrame: mainFrame('app://other/index.html') }))).toBe(false);
    expect(trusted(event({ senderFrame: null }))).toBe(false);
    expect(trustedSender(() => null, ORIGINS)(event())).toBe(false);
  });
});

describe('the guarded contract handler', () => {
  it('refuses a wrong sender before parsing, and never calls the service', async () => {
    const { service, invoke } = fakeService();
    const r = await contractHandler(service)(event({ senderFrame: mainFrame('https://evil.example/') }), 'runs:list', {});
    expect(r).toEqual({ ok: false, error: { name: 'SecurityError', message: expect.stringContaining('refused') } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('answers a bad request with a ContractError, and never calls the service', async () => {
    const { service, invoke } = fakeService();
    const h = contractHandler(service);
    const bad = await h(event(), 'runs:stop', { id: 42 });
    expect(bad).toMatchObject({ ok: false, error: { name: 'ContractError', message: expect.stringContaining('runs:stop: id') } });
    const extra = await h(event(), 'runs:list', { filter: {}, sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { name: 'ContractError' } });
    const unknown = await h(event(), 'fs:readFile', { path: '/etc/passwd' });
    expect(unknown).toMatchObject({ ok: false, error: { name: 'ContractError', message: expect.stringContaining('unknown channel') } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('turns a thrown error into { name, message }', async () => {
    const { service } = fakeService(() => { throw new UserError('no run with id r1'); });
    const r = await contractHandler(service)(event(), 'runs:show', { id: 'r1' });
    expect(r).toEqual({ ok: false, error: { name: 'UserError', message: 'no run with id r1' } });
  });

  it('logs errors that are not the user\'s, and still answers', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { service } = fakeService(() => { throw new TypeError('oops'); });
    const r = await contractHandler(service)(event(), 'system:info', {});
    expect(r).toEqual({ ok: false, error: { name: 'TypeError', message: 'oops' } });
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  it('passes a good request, parsed, to the service and wraps the value', async () => {
    const { service, invoke } = fakeService(() => [{ id: 'r1' }]);
    const r = await contractHandler(service)(event(), 'runs:list', undefined);
    expect(r).toEqual({ ok: true, value: [{ id: 'r1' }] });
    expect(invoke).toHaveBeenCalledWith('runs:list', {}, { face: 'page' });
  });

  it('carries the queue setting (queue:set) parsed to the service, and refuses a malformed one before it', async () => {
    const { service, invoke } = fakeService(() => ({ source: 'setting' }));
    const h = contractHandler(service);
    expect(await h(event(), 'queue:set', { url: 'redis://:pw@10.0.0.5:6379', localWorkers: 2 })).toEqual({ ok: true, value: { source: 'setting' } });
    expect(invoke).toHaveBeenCalledWith('queue:set', { url: 'redis://:pw@10.0.0.5:6379', localWorkers: 2 }, { face: 'page' });
    invoke.mockClear();
    expect(await h(event(), 'queue:set', { url: 42 })).toMatchObject({ ok: false, error: { name: 'ContractError', message: expect.stringContaining('queue:set: url') } });
    expect(await h(event(), 'queue:set', { url: null, localWorkers: 65 })).toMatchObject({ ok: false, error: { name: 'ContractError', message: expect.stringContaining('localWorkers') } });
    expect(await h(event(), 'queue:set', { url: null, command: 'rm -rf /' })).toMatchObject({ ok: false, error: { name: 'ContractError' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('gives the window a page\'s rights: paths are the service\'s to refuse, handles pass', async () => {
    const { service, invoke } = fakeService(() => 'ok');
    await contractHandler(service)(event(), 'datasets:import', { source: { handle: 'h'.repeat(24) } });
    expect(invoke).toHaveBeenCalledWith('datasets:import', { source: { handle: 'h'.repeat(24) } }, { face: 'page' });
  });
});

describe('pickFile options', () => {
  it('accepts nothing, a title and extension filters', () => {
    expect(parsePickFileOptions([undefined])).toEqual({ ok: true, value: {} });
    expect(parsePickFileOptions([{ title: 'CSV', filters: [{ name: 'CSV', extensions: ['csv'] }] }])).toEqual({ ok: true, value: { title: 'CSV', filters: [{ name: 'CSV', extensions: ['csv'] }] } });
  });

  it('refuses a default path or odd extensions', () => {
    expect(parsePickFileOptions([{ defaultPath: '/etc' }])).toMatchObject({ ok: false, error: { name: 'ContractError' } });
    expect(parsePickFileOptions([{ filters: [{ name: 'x', extensions: ['../x'] }] }])).toMatchObject({ ok: false });
    expect(parsePickFileOptions(['string'])).toMatchObject({ ok: false });
  });
});

describe('registerIpc', () => {
  function setup() {
    const handlers = new Map<string, (e: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain = {
      handle: vi.fn((name: string, h: (e: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>) => { handlers.set(name, h); }),
      removeHandler: vi.fn((name: string) => { handlers.delete(name); }),
    };
    const fake = fakeService(() => 'value');
    const deps = {
      service: fake.service, trusted,
      pickFile: vi.fn(async () => ({ handle: 'h'.repeat(24), name: 'x.csv' })), pickFolder: vi.fn(async () => null),
      selectRun: vi.fn(), importDropped: vi.fn(async () => undefined),
    };
    const off = registerIpc(ipcMain, deps);
    const call = (name: string, e: SenderInfo, ...args: unknown[]) => handlers.get(name)!(e as unknown as IpcMainInvokeEvent, ...args);
    return { handlers, ipcMain, deps, off, call, fake };
  }

  it('registers exactly our channels, and removes them', () => {
    const { handlers, off } = setup();
    expect([...handlers.keys()].sort()).toEqual(Object.values(IPC).filter((n) => n !== IPC.event).sort());
    off();
    expect(handlers.size).toBe(0);
  });

  it('guards dialogs, selection and drops like the contract', async () => {
    const { call, deps } = setup();
    expect(await call(IPC.pickFile, event(), { title: 'Pick' })).toEqual({ ok: true, value: { handle: 'h'.repeat(24), name: 'x.csv' } });
    expect(deps.pickFile).toHaveBeenCalledWith({ title: 'Pick' });
    expect(await call(IPC.pickFolder, event())).toEqual({ ok: true, value: null });
    expect(await call(IPC.selectRun, event(), { id: 'r7' })).toEqual({ ok: true, value: null });
    expect(deps.selectRun).toHaveBeenCalledWith('r7');
    expect(await call(IPC.importDropped, event(), { path: '/data/x.csv' })).toEqual({ ok: true, value: null });
    expect(deps.importDropped).toHaveBeenCalledWith('/data/x.csv');

    const stranger = event({ senderFrame: mainFrame('https://evil.example/') });
    for (const name of [IPC.pickFile, IPC.pickFolder, IPC.selectRun, IPC.importDropped, IPC.invoke]) {
      expect(await call(name, stranger, { id: 'r1', path: '/x' })).toMatchObject({ ok: false, error: { name: 'SecurityError' } });
    }
    expect(deps.pickFile).toHaveBeenCalledTimes(1);
    expect(deps.importDropped).toHaveBeenCalledTimes(1);
    expect(await call(IPC.importDropped, event(), { path: '' })).toMatchObject({ ok: false, error: { name: 'ContractError' } });
  });
});

describe('forwardEvents', () => {
  it('sends every contract event to the window, stops when asked', () => {
    const { service, emit, listeners } = fakeService();
    const send = vi.fn();
    let destroyed = false;
    const off = forwardEvents(service, () => ({ send, isDestroyed: () => destroyed }));
    expect([...listeners.keys()].sort()).toEqual([...EVENT_NAMES].sort());
    emit('runs:epoch', { runId: 'r1', epoch: 1, loss: 0.5 });
    expect(send).toHaveBeenCalledWith(IPC.event, 'runs:epoch', { runId: 'r1', epoch: 1, loss: 0.5 });
    emit('system:queue', { status: null });
    expect(send).toHaveBeenCalledWith(IPC.event, 'system:queue', { status: null });
    destroyed = true;
    emit('runs:batch', { runId: 'r1' });
    expect(send).toHaveBeenCalledTimes(2);
    off();
    expect([...listeners.values()].every((s) => s.size === 0)).toBe(true);
  });
});
