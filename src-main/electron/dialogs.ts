/** Native dialogs, attached to the window when there is one. */
import { dialog, type BrowserWindow, type OpenDialogOptions } from 'electron';
import type { PickFileOptions } from './ipc-names.js';

async function open(win: BrowserWindow | null, options: OpenDialogOptions): Promise<string | null> {
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

export function pickFile(win: BrowserWindow | null, options: PickFileOptions = {}): Promise<string | null> {
  return open(win, { title: options.title, filters: options.filters, properties: ['openFile'] });
}

export function pickFolder(win: BrowserWindow | null, title?: string): Promise<string | null> {
  return open(win, { title, properties: ['openDirectory'] });
}

export async function pickSavePath(win: BrowserWindow | null, title: string, defaultPath: string): Promise<string | null> {
  const options = { title, defaultPath };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : r.filePath;
}

export async function showMessage(win: BrowserWindow | null, type: 'info' | 'error', message: string, detail?: string): Promise<void> {
  const options = { type, message, detail, buttons: ['OK'] };
  if (win) await dialog.showMessageBox(win, options);
  else await dialog.showMessageBox(options);
}
