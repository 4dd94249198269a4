/** The main window: its options come from one pure function so the security settings are tested. */
import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

/** Close to the renderer's background, so the window does not flash white before first paint. */
export const BACKGROUND_COLOR = '#f6f7f9';

export function windowOptions(opts: { preload: string; dev: boolean }): BrowserWindowConstructorOptions {
  return {
    title: 'Layerlab',
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    backgroundColor: BACKGROUND_COLOR,
    // Shown on ready-to-show: no half-painted window.
    show: false,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: opts.dev,
    },
  };
}

export function createMainWindow(opts: { preload: string; dev: boolean; url: string }): BrowserWindow {
  const win = new BrowserWindow(windowOptions(opts));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.url);
  return win;
}
