/** Datasets as the service lists them, and the imports in flight with their progress. */
import type { Api, Events, FileRef, RequestOf, Responses } from '../../../../src-main/shared/contract.js';
import type { DatasetInfo, DatasetPreview, ImportOptions } from '../../../../src-main/shared/datasets.js';
import { newImportId } from '../format.js';

export type Progress = Events['datasets:progress'];

export class DatasetsStore {
  list = $state<DatasetInfo[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);
  progress = $state<Record<string, Progress>>({});
  private readonly off: (() => void)[];

  constructor(private readonly api: Api) {
    this.off = [
      api.on('datasets:changed', () => void this.refresh()),
      api.on('datasets:progress', (p) => { this.progress[p.importId] = p; }),
    ];
  }

  dispose(): void { this.off.forEach((f) => f()); }

  get ready(): DatasetInfo[] { return this.list.filter((d) => d.available); }

  find(id: string): DatasetInfo | undefined { return this.list.find((d) => d.id === id); }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      this.list = await this.api.invoke('datasets:list', {});
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  async generate(req: RequestOf<'datasets:generate'>): Promise<Responses['datasets:generate']> {
    const info = await this.api.invoke('datasets:generate', req);
    await this.refresh();
    return info;
  }

  /**
   * Starts an import; the id lets the view follow its progress events (and cancel it). `source`:
   * a handle (an upload, a desktop dialog's choice) or, where the service allows it, a path.
   */
  startImport(source: FileRef, options: ImportOptions, labels?: FileRef): { importId: string; done: Promise<Responses['datasets:import']> } {
    const importId = newImportId();
    const done = this.api.invoke('datasets:import', { source, options, importId, ...(labels ? { labels } : {}) }).then(async (info) => {
      await this.refresh();
      return info;
    });
    return { importId, done };
  }

  /** Starts downloading a catalog dataset; its progress arrives under the returned id. */
  startDownload(id: 'fashion-mnist' | 'mnist'): { importId: string; done: Promise<DatasetInfo & { fetched: string[] }> } {
    const importId = newImportId();
    const done = this.api.invoke('datasets:download', { id, importId }).then(async (info) => {
      await this.refresh();
      return info;
    });
    return { importId, done };
  }

  /** Asks the service to stop an import in flight; its promise then fails with the reason. */
  async cancelImport(importId: string): Promise<void> {
    await this.api.invoke('datasets:cancel', { importId });
  }

  async remove(id: string): Promise<void> {
    await this.api.invoke('datasets:delete', { id });
    await this.refresh();
  }

  preview(id: string, perClass = 6): Promise<DatasetPreview> {
    return this.api.invoke('datasets:preview', { id, perClass });
  }
}
