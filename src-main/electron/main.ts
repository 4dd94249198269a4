/**
 * Electron main: lifecycle, one window, the app:// protocol, the guarded IPC and the menus around
 * the service. No domain logic: everything a user does is a service call.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, session, shell } from 'electron';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Service } from '../service/service.js';
import { resolveHome } from '../data/home.js';
import { UtilityWorkerHost } from './utility-host.js';
import { windowLauncher } from './gpu-window.js';
import { BrowserGpuHost } from '../workers/browser-host.js';
import { LadderHost } from '../workers/ladder-host.js';
import { APP_ORIGIN, APP_URL, registerAppScheme, serveApp } from './protocol.js';
import { guardContents, guardSession, originOf } from './guards.js';
import { forwardEvents, registerIpc, trustedSender } from './ipc.js';
import { createShutdown } from './lifecycle.js';
import { createActions } from './actions.js';
import { menuTemplate } from './menu.js';
import { createMainWindow } from './window.js';
import { pickFile, pickFolder } from './dialogs.js';

/** out/main: index.js, trainer.js and importer.js side by side; ../preload and ../renderer beside. */
const here = dirname(fileURLToPath(import.meta.url));
const dev = !app.isPackaged;
// `electron-vite dev` serves the renderer with hot reload; only unpackaged builds may use it.
const devUrl = dev ? process.env.ELECTRON_RENDERER_URL : undefined;
const origins = [APP_ORIGIN, ...(devUrl && originOf(devUrl) ? [originOf(devUrl)!] : [])];

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // The first instance focuses its window (second-instance below); two writers would share one store.
  app.quit();
} else {
  main();
}

function main(): void {
  let win: BrowserWindow | null = null;
  let selectedRun: string | null = null;
  // The same data folder as `layerlab` on the command line, so both see one history. Electron's
  // userData (Chromium's profile, caches) stays where Electron puts it.
  const home = resolveHome();
  // GPU rungs in hidden windows (gpu-window.ts), the rest in utility processes.
  const gpu = new BrowserGpuHost(process.env, windowLauncher());
  // The queue saved in Settings (queue.json in the data folder), if any: runs go there.
  const service = new Service({ home, host: new LadderHost(new UtilityWorkerHost(here), gpu), gpu, savedQueue: true });
  const shutdown = createShutdown({ close: (reason) => service.close(reason), quit: () => app.quit() });
  const actions = createActions({ service, window: () => win, selectedRun: () => selectedRun });
  // The page gets a handle for what the user chose in a native dialog, never the path itself.
  const picked = (path: string | null) => (path ? { handle: service.files.grant(path, { purpose: 'read', label: basename(path) }), name: basename(path) } : null);

  const openWindow = (): BrowserWindow => {
    const w = createMainWindow({ preload: join(here, '../preload/index.cjs'), dev, url: devUrl ?? APP_URL });
    w.on('closed', () => { if (win === w) win = null; });
    // Windows logs off or powers down: runs become interrupted, not stopped.
    w.on('session-end', () => shutdown.shutdown());
    return w;
  };

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) =>
    guardContents(contents, { origins, openExternal: (url) => void shell.openExternal(url) }));
  app.on('before-quit', (event) => shutdown.beforeQuit(event));
  app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });

  app.whenReady().then(async () => {
    guardSession(session.defaultSession);
    serveApp(session.defaultSession, join(here, '../renderer'));
    await service.start();
    // Typed without its event, but Electron passes one whose preventDefault delays a Linux power-off.
    powerMonitor.on('shutdown', (...args: unknown[]) => shutdown.shutdown(args[0] as { preventDefault(): void } | undefined));
    registerIpc(ipcMain, {
      service,
      trusted: trustedSender(() => win?.webContents ?? null, origins),
      pickFile: async (options) => picked(await pickFile(win, options)),
      pickFolder: async () => picked(await pickFolder(win)),
      selectRun: (id) => { selectedRun = id; },
      importDropped: (path) => actions.importPath(path),
    });
    forwardEvents(service, () => win?.webContents ?? null);
    app.setAboutPanelOptions({ applicationName: 'Layerlab', applicationVersion: app.getVersion() });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({
      dev,
      mac: process.platform === 'darwin',
      actions: {
        importDataset: () => void actions.importDataset(),
        exportRun: () => void actions.exportRun(),
        openUserGuide: () => void actions.openUserGuide(),
        about: () => app.showAboutPanel(),
      },
    })));
    win = openWindow();
    app.on('activate', () => { if (!win) win = openWindow(); });
  }).catch((err: unknown) => {
    // The store could not open (disk full, a newer schema…): say so and leave, do not half-run.
    dialog.showErrorBox('Layerlab could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}
