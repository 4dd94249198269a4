/**
 * The desktop app's GPU rungs: the GPU trainer page in a hidden window, one per run, through the
 * same token-guarded loopback page and WebSocket as the CLI's headless browser
 * (workers/browser-host.ts), so one transport, parsed on both ends, serves every face and is the
 * one CI exercises in real Chromium. The window is sandboxed, isolated, without Node, in an
 * in-memory session of its own (nothing of the app's session, nothing on disk); the page's CSP
 * comes with it from the loopback server. Closing it or its renderer crashing ends the run
 * interrupted, its committed epochs kept.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import type { PageLauncher, PageProcess } from '../workers/browser-host.js';

/** The part of BrowserWindow we use, so tests hand in a fake. */
export interface HiddenWindow {
  loadURL(url: string): Promise<void>;
  destroy(): void;
  isDestroyed(): boolean;
  on(event: 'closed', listener: () => void): unknown;
  webContents: {
    getOSProcessId(): number;
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
  };
}

export const GPU_WINDOW_OPTIONS: BrowserWindowConstructorOptions = {
  show: false,
  width: 320,
  height: 240,
  webPreferences: {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    // A session of its own, in memory: no cookies, storage or cache shared with the app's window.
    partition: 'layerlab-gpu-trainer',
    // A hidden window must not be throttled: it trains.
    backgroundThrottling: false,
    spellcheck: false,
  },
};

export function windowLauncher(make: (options: BrowserWindowConstructorOptions) => HiddenWindow = (o) => new BrowserWindow(o)): PageLauncher {
  return (url) => {
    const win = make(GPU_WINDOW_OPTIONS);
    const listeners: ((info: { code: number | null; signal: string | null }) => void)[] = [];
    let gone: { code: number | null; signal: string | null } | null = null;
    const end = (info: { code: number | null; signal: string | null }) => {
      if (gone) return;
      gone = info;
      for (const l of listeners) l(info);
    };
    win.on('closed', () => end({ code: 0, signal: null }));
    win.webContents.on('render-process-gone', (_e, details) => {
      end({ code: details.exitCode, signal: details.reason });
      if (!win.isDestroyed()) win.destroy();
    });
    win.loadURL(url).catch(() => undefined);
    const p: PageProcess = {
      get pid() { return win.isDestroyed() ? undefined : win.webContents.getOSProcessId(); },
      label: 'the hidden GPU trainer window',
      kill: () => { if (!win.isDestroyed()) win.destroy(); },
      cleanup: () => undefined,
      onExit: (l) => { if (gone) l(gone); else listeners.push(l); },
    };
    return p;
  };
}
