import { describe, it, expect, vi } from 'vitest';

const created: { options: unknown; handlers: Map<string, () => void>; show: ReturnType<typeof vi.fn>; loadURL: ReturnType<typeof vi.fn> }[] = [];
vi.mock('electron', () => ({
  BrowserWindow: class {
    handlers = new Map<string, () => void>();
    show = vi.fn();
    loadURL = vi.fn(async () => undefined);
    constructor(options: unknown) { created.push({ options, handlers: this.handlers, show: this.show, loadURL: this.loadURL }); }
    once(event: string, fn: () => void) { this.handlers.set(event, fn); return this; }
  },
}));

const { windowOptions, createMainWindow } = await import('../../../src-main/electron/window.js');

describe('windowOptions', () => {
  const o = windowOptions({ preload: '/app/out/preload/index.cjs', dev: false });
  const web = o.webPreferences!;

  it('isolates and sandboxes the renderer', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web).not.toHaveProperty('enableBlinkFeatures');
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web.spellcheck).toBe(false);
    expect(web.preload).toBe('/app/out/preload/index.cjs');
  });

  it('has a usable size and no white flash', () => {
    expect(o).toMatchObject({ width: 1280, height: 800, minWidth: 960, minHeight: 640, show: false });
    expect(o.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('allows devtools only in development', () => {
    expect(web.devTools).toBe(false);
    expect(windowOptions({ preload: 'p', dev: true }).webPreferences!.devTools).toBe(true);
  });
});

describe('createMainWindow', () => {
  it('loads the app URL and shows the window once it is ready', () => {
    createMainWindow({ preload: 'p', dev: false, url: 'app://layerlab/index.html' });
    const w = created.at(-1)!;
    expect(w.loadURL).toHaveBeenCalledWith('app://layerlab/index.html');
    expect(w.show).not.toHaveBeenCalled();
    w.handlers.get('ready-to-show')!();
    expect(w.show).toHaveBeenCalledOnce();
  });
});
