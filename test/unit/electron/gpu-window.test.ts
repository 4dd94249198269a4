/**
 * The desktop app's hidden GPU trainer window, with a fake BrowserWindow (the shell's own tests
 * may fake electron): hidden, sandboxed, isolated, no Node, its own session; its closing or its
 * renderer's crash reported once as the page process's end; kill destroys it.
 */
import { describe, it, expect, vi } from 'vitest';
import { EventEmitter } from 'node:events';

vi.mock('electron', () => ({ BrowserWindow: class { constructor() { throw new Error('tests pass their own window'); } } }));
const { windowLauncher, GPU_WINDOW_OPTIONS } = await import('../../../src-main/electron/gpu-window.js');

class FakeWindow extends EventEmitter {
  destroyed = false;
  loaded: string[] = [];
  webContents = Object.assign(new EventEmitter(), { getOSProcessId: () => 4242 });
  constructor(readonly options: unknown) { super(); }
  loadURL(url: string): Promise<void> { this.loaded.push(url); return Promise.resolve(); }
  destroy(): void { if (!this.destroyed) { this.destroyed = true; this.emit('closed'); } }
  isDestroyed(): boolean { return this.destroyed; }
}

function launch() {
  let win!: FakeWindow;
  const p = windowLauncher((o) => (win = new FakeWindow(o)))('http://127.0.0.1:5555/tok/', '/unused');
  if ('reason' in p) throw new Error(p.reason);
  const ends: unknown[] = [];
  p.onExit((info) => ends.push(info));
  return { p, win, ends };
}

describe('the hidden GPU trainer window', () => {
  it('is hidden, sandboxed, isolated, without Node, in a session of its own, and opens the page', () => {
    const { win, p } = launch();
    expect(win.options).toBe(GPU_WINDOW_OPTIONS);
    expect(GPU_WINDOW_OPTIONS).toMatchObject({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, partition: 'layerlab-gpu-trainer', backgroundThrottling: false } });
    expect(win.loaded).toEqual(['http://127.0.0.1:5555/tok/']);
    expect(p.pid).toBe(4242);
  });

  it('reports the window closing once, and kill destroys it', () => {
    const { p, win, ends } = launch();
    p.kill();
    expect(win.destroyed).toBe(true);
    win.emit('closed');
    expect(ends).toEqual([{ code: 0, signal: null }]);
    expect(p.pid).toBeUndefined();
    // A listener that comes late still hears the end.
    const late: unknown[] = [];
    p.onExit((i) => late.push(i));
    expect(late).toEqual([{ code: 0, signal: null }]);
  });

  it('a crashed renderer ends the page with its reason and the window goes', () => {
    const { win, ends } = launch();
    win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(ends).toEqual([{ code: 139, signal: 'crashed' }]);
    expect(win.destroyed).toBe(true);
  });
});
