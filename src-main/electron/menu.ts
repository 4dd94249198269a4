/** The application menu. Dev-only items (reload, devtools) are absent from release builds. */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  importDataset(): void;
  exportRun(): void;
  openUserGuide(): void;
  about(): void;
}

export function menuTemplate(opts: { dev: boolean; mac: boolean; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { dev, mac, actions } = opts;
  const devItems: MenuItemConstructorOptions[] = dev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { id: 'import-dataset', label: 'Import dataset…', accelerator: 'CmdOrCtrl+O', click: () => actions.importDataset() },
        { id: 'export-run', label: 'Export run…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportRun() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    // Copy and paste in text fields need the edit roles on macOS.
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...devItems,
        { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        { id: 'user-guide', label: 'User guide', accelerator: 'F1', click: () => actions.openUserGuide() },
        { id: 'about', label: 'About Layerlab', click: () => actions.about() },
      ],
    },
  ];
}
