/**
 * The object the preload exposes as `window.api`: the contract's invoke/on plus native dialogs,
 * and nothing else (no ipcRenderer, no event objects). Kept apart from preload.ts so it is tested
 * with a fake ipcRenderer. Imports nothing with runtime dependencies: the preload is sandboxed.
 */
import type { IpcRendererEvent } from 'electron';
import type { Api, EventName, Result } from '../shared/contract.js';
import { isChannel, isEventName } from '../shared/channels.js';
import { IPC, type PickedFile, type PickFileOptions } from './ipc-names.js';

export interface DesktopApi extends Api {
  /** A native open-file dialog: a handle to the chosen file (never its path); null when cancelled. */
  pickFile(options?: PickFileOptions): Promise<PickedFile | null>;
  /** A native choose-folder dialog: a handle to the chosen folder; null when cancelled. */
  pickFolder(): Promise<PickedFile | null>;
  /** Tells the shell which run the user is looking at, for File › Export run…. */
  selectRun(id: string | null): Promise<void>;
}

export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): unknown;
}

function fail(name: string, message: string): never {
  const error = new Error(message);
  error.name = name;
  throw error;
}

/**
 * Unwraps main's Result envelope. (contextBridge keeps only an Error's message on the way to the
 * page, electron#25596; the name survives for code in this world and in tests.)
 */
function unwrap<T>(result: unknown): T {
  const r = result as Result<T> | undefined;
  if (r && r.ok === true) return r.value;
  if (r && r.ok === false) return fail(r.error.name, r.error.message);
  return fail('Error', 'no answer from Layerlab');
}

export function createApi(ipc: IpcLike): DesktopApi {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  ipc.on(IPC.event, (_event, name, payload) => {
    if (!isEventName(name)) return;
    for (const listener of [...(listeners.get(name) ?? [])]) {
      // One failing listener must not starve the others.
      try { listener(payload); } catch (err) { queueMicrotask(() => { throw err; }); }
    }
  });
  const api: DesktopApi = {
    invoke: async (channel, request) => {
      if (!isChannel(channel)) return fail('ContractError', `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
      return unwrap(await ipc.invoke(IPC.invoke, channel, request));
    },
    on: (event, listener) => {
      if (!isEventName(event)) return fail('ContractError', `unknown event ${JSON.stringify(String(event)).slice(0, 80)}`);
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => { set.delete(l); };
    },
    pickFile: async (options) => unwrap<PickedFile | null>(await ipc.invoke(IPC.pickFile, options)),
    pickFolder: async () => unwrap<PickedFile | null>(await ipc.invoke(IPC.pickFolder)),
    selectRun: async (id) => { unwrap<null>(await ipc.invoke(IPC.selectRun, { id })); },
  };
  return api;
}

/** The DOM we touch, typed structurally: src-main compiles without the DOM library. */
export interface DropEventLike {
  preventDefault(): void;
  dataTransfer: { types: ArrayLike<string>; files: ArrayLike<unknown> } | null;
}
export interface DropTarget {
  addEventListener(type: 'dragover' | 'drop', listener: (event: DropEventLike) => void): void;
}

const carriesFiles = (e: DropEventLike) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * A file dropped anywhere on the window is imported as a dataset instead of navigating to it.
 * Drags inside the page (layers in the model editor) carry no files and are left alone. Only the
 * first file is imported: a dataset is one file or one folder.
 */
export function installDropImport(target: DropTarget, pathOf: (file: unknown) => string, ipc: IpcLike): void {
  target.addEventListener('dragover', (e) => { if (carriesFiles(e)) e.preventDefault(); });
  target.addEventListener('drop', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    const path = file ? pathOf(file) : '';
    // Main imports it and reports a failure in a native dialog: the page may not be listening.
    if (path) void ipc.invoke(IPC.importDropped, { path });
  });
}
