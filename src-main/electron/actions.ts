/** What the menu and file drops do: dialogs around a service call, errors shown natively. */
import { app, shell, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { callService, fileSlug, pickRunToExport } from './lifecycle.js';
import { pickFile, pickSavePath, showMessage } from './dialogs.js';
import type { ServiceLike } from './ipc.js';

/** What runs:export writes: one file with the run, its epochs and artifacts. */
export const EXPORT_EXTENSION = 'layerlab-run';

export interface ActionDeps {
  service: ServiceLike;
  window: () => BrowserWindow | null;
  selectedRun: () => string | null;
}

export function createActions(deps: ActionDeps) {
  const report = (err: unknown, what: string) =>
    showMessage(deps.window(), 'error', what, err instanceof Error ? err.message : String(err));

  const importPath = async (path: string) => {
    try {
      await callService(deps.service, 'datasets:import', { source: { path } });
    } catch (err) {
      await report(err, `Could not import ${path}`);
    }
  };

  return {
    importPath,
    async importDataset(): Promise<void> {
      const path = await pickFile(deps.window(), { title: 'Import dataset' });
      if (path) await importPath(path);
    },
    async exportRun(): Promise<void> {
      try {
        const runs = await callService(deps.service, 'runs:list', {});
        const run = pickRunToExport(deps.selectedRun(), runs);
        if (!run) return showMessage(deps.window(), 'info', 'There is no finished run to export yet.');
        const out = await pickSavePath(deps.window(), `Export run “${run.name}”`, join(app.getPath('documents'), `${fileSlug(run.name)}.${EXPORT_EXTENSION}`));
        if (!out) return;
        // The save dialog asked about replacing an existing file already.
        const r = await callService(deps.service, 'runs:export', { id: run.id, out: { path: out }, overwrite: true });
        shell.showItemInFolder(r.path);
      } catch (err) {
        await report(err, 'Could not export the run');
      }
    },
    async openUserGuide(): Promise<void> {
      // Packaged: resources/user-guide.md (extraResources); from source: docs/user-guide.md.
      const guide = app.isPackaged ? join(process.resourcesPath, 'user-guide.md') : join(app.getAppPath(), 'docs', 'user-guide.md');
      if (!existsSync(guide)) return showMessage(deps.window(), 'error', 'The user guide is missing', guide);
      const failure = await shell.openPath(guide);
      if (failure) await showMessage(deps.window(), 'error', 'Could not open the user guide', failure);
    },
  };
}
