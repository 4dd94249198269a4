/**
 * Datasets for the service: the built-in catalog, imported datasets in the cache, imports run in
 * the importer process, previews and sample lookups (read from our own cache or the catalog files,
 * which are trusted; users' files are only ever parsed by the importer).
 */
import { randomUUID } from 'node:crypto';
import type { Dataset } from '../shared/dataset.js';
import type { DatasetInfo, DatasetPreview } from '../shared/datasets.js';
import type { DatasetSamples, Events } from '../shared/contract.js';
import type { CatalogId, DatasetRef } from '../shared/dataset-ref.js';
import { UserError } from '../shared/errors.js';
import { isMessageCode, message } from '../shared/messages.js';
import { messageText } from '../shared/messages.js';
import { IDX_CATALOG, locateIdxDataset, missingCoded } from '../data/catalog/idx-datasets.js';
import { downloadIdxDataset } from '../data/catalog/download.js';
import { generateSynthetic, type SyntheticKind } from '../data/catalog/synthetic.js';
import { listDatasets, deleteDataset, writeDatasetCache, readManifest, manifestToInfo } from '../data/cache/index.js';
import { openDataset } from '../data/open.js';
import { datasetPreview } from '../data/preview.js';
import { describeExit, type WorkerHandle, type WorkerHost } from '../workers/host.js';
import type { ImporterMessage, ImporterOptions, ImporterRequest } from '../workers/protocol.js';

type Emit = <E extends keyof Events>(event: E, payload: Events[E]) => void;

export class DatasetService {
  /** The last dataset opened for previews and samples: Fashion-MNIST takes ~0.3 s to read. */
  private opened: { id: string; dataset: Dataset } | null = null;
  /** Imports in flight, by import id: cancel stops one, closing the service stops them all. */
  private readonly imports = new Map<string, WorkerHandle>();
  /** Downloads in flight, by dataset id: one at a time each; closing the service stops them. */
  private readonly downloads = new Map<string, AbortController>();

  constructor(private readonly home: string, private readonly host: WorkerHost, private readonly emit: Emit, private readonly mirror?: string) {}

  list(): DatasetInfo[] {
    const builtin = IDX_CATALOG.map((entry): DatasetInfo => {
      const found = locateIdxDataset(entry, this.home);
      return {
        id: entry.id, name: entry.name, kind: 'builtin', available: Boolean(found),
        reason: found ? undefined : messageText(missingCoded(entry, this.home)),
        reasonCoded: found ? undefined : missingCoded(entry, this.home),
        format: 'idx', featureShape: [28, 28], classNames: entry.classNames,
        trainCount: 60000, testCount: 10000, sourcePath: found?.dir, isImage: true,
      };
    });
    return [...builtin, ...listDatasets(this.home).map(manifestToInfo)];
  }

  show(ref: DatasetRef): DatasetInfo {
    const info = this.list().find((d) => d.id === ref.id);
    if (info) return info;
    throw new UserError(message('dataset.notFound', { id: ref.id }));
  }

  /** Throws a one-line error before any run is created when the dataset cannot be trained on. */
  assertTrainable(ref: DatasetRef): void {
    const info = this.show(ref);
    if (!info.available) throw new UserError(info.reasonCoded ?? info.reason ?? `${info.name} is not available`);
  }

  /** Only the catalog's files and our own cache are read here: a user's file is parsed by the importer. */
  private open(ref: DatasetRef): Dataset {
    if (this.opened?.id !== ref.id) {
      this.opened = null;
      this.opened = { id: ref.id, dataset: openDataset(this.home, ref) };
    }
    return this.opened.dataset;
  }

  preview(ref: DatasetRef, perClass: number): DatasetPreview {
    this.assertTrainable(ref);
    const info = this.show(ref);
    return datasetPreview(this.open(ref), { perClass, isImage: info.isImage, featureNames: info.featureNames });
  }

  samples(ref: DatasetRef, split: 'train' | 'test', indices: number[]): DatasetSamples {
    this.assertTrainable(ref);
    const d = this.open(ref);
    const s = split === 'test' ? d.test ?? d.train : d.train;
    const size = d.featureShape.reduce((a, b) => a * b, 1);
    const samples = indices.filter((i) => i < s.count).map((index) => ({
      index, label: s.y[index], values: Array.from(s.x.subarray(index * size, (index + 1) * size)),
    }));
    return { featureShape: d.featureShape, scale: d.scale, samples };
  }

  delete(ref: DatasetRef): { deleted: string } {
    const { id } = ref;
    if (ref.kind === 'catalog') throw new UserError(message('dataset.builtIn', { id }));
    if (!readManifest(this.home, id)) throw new UserError(message('dataset.noImported', { id }));
    deleteDataset(this.home, id);
    if (this.opened?.id === id) this.opened = null;
    this.emit('datasets:changed', { ids: [id] });
    return { deleted: id };
  }

  async generate(r: { kind: SyntheticKind; samples?: number; noise?: number; seed?: number; name?: string }): Promise<DatasetInfo & { reused?: boolean }> {
    const samples = r.samples ?? 500;
    const noise = r.noise ?? 0.1;
    const seed = r.seed ?? 1;
    const sourcePath = `synthetic:${r.kind}?samples=${samples}&noise=${noise}&seed=${seed}`;
    // The same kind, size, noise and seed make the same points: the set made before is answered.
    const earlier = listDatasets(this.home).find((m) => m.format === 'synthetic' && m.sourcePath === sourcePath);
    if (earlier) return { ...manifestToInfo(earlier), reused: true };
    const set = generateSynthetic(r.kind, samples, noise, seed);
    const manifest = await writeDatasetCache(this.home, {
      format: 'synthetic', featureShape: [2], classNames: ['0', '1'], train: set, notes: [`${r.kind}, ${samples} samples, noise ${noise}, seed ${seed}`],
    }, { name: r.name ?? `${r.kind} (noise ${noise}, ${samples})`, sourcePath, format: 'synthetic' });
    this.emit('datasets:changed', { ids: [manifest.id] });
    return manifestToInfo(manifest);
  }

  /** Parses a user's file in the importer process; resolves with the new dataset or rejects with its one-line error. */
  import(path: string, options: ImporterOptions, importId: string = randomUUID()): Promise<DatasetInfo & { reused?: boolean }> {
    if (this.imports.has(importId)) throw new UserError(`an import with id ${importId} is already running`);
    const worker = this.host.start('importer', { maxOldSpaceMB: 4096 });
    this.imports.set(importId, worker);
    return new Promise<DatasetInfo & { reused?: boolean }>((resolve, reject) => {
      let settled = false;
      worker.onMessage((raw) => {
        const m = raw as ImporterMessage;
        if (m.importId !== importId) return;
        if (m.type === 'progress') this.emit('datasets:progress', { importId, phase: m.phase, done: m.done, total: m.total });
        else if (m.type === 'done') {
          settled = true;
          this.emit('datasets:progress', { importId, phase: 'done', done: 1, total: 1 });
          if (!m.dataset.reused) this.emit('datasets:changed', { ids: [m.dataset.id] });
          resolve(m.dataset);
        } else if (m.type === 'error') {
          settled = true;
          // A coded error (import.*) stays coded, so the page says it in the user's language.
          const err = new UserError(m.error.coded && isMessageCode(m.error.coded.code) ? m.error.coded : m.error.message);
          err.name = m.error.name;
          reject(err);
        }
      });
      worker.onExit((info) => {
        this.imports.delete(importId);
        if (!settled) reject(new UserError(`${path}: import failed: ${describeExit('importer', info)}`));
      });
      const request: ImporterRequest = { type: 'import', importId, path, options, home: this.home };
      worker.send(request);
    });
  }

  /**
   * Fetches Fashion-MNIST or MNIST into the data folder (files already there and intact are kept),
   * with progress in bytes as `datasets:progress` events, at most ten a second.
   */
  /** Stops an import in flight; false when there is none with that id. */
  cancel(importId: string): boolean {
    const worker = this.imports.get(importId);
    if (!worker) return false;
    void worker.stop(500);
    return true;
  }

  async download(id: CatalogId, importId: string = randomUUID()): Promise<DatasetInfo & { fetched: string[] }> {
    const mirror = this.mirror;
    const entry = IDX_CATALOG.find((e) => e.id === id)!;
    if (this.downloads.has(id)) throw new UserError(`${entry.name} is already being downloaded; wait for it to finish`);
    const controller = new AbortController();
    this.downloads.set(id, controller);
    let last = 0;
    try {
      const result = await downloadIdxDataset(entry, this.home, {
        mirror, signal: controller.signal,
        onProgress: (p) => {
          const now = Date.now();
          if (p.phase === 'downloading' && now - last < 100 && p.done < p.total) return;
          last = now;
          this.emit('datasets:progress', { importId, phase: p.phase, done: p.done, total: p.total });
        },
      });
      this.emit('datasets:progress', { importId, phase: 'done', done: 1, total: 1 });
      if (result.fetched.length) this.emit('datasets:changed', { ids: [id] });
      return { ...this.show({ kind: 'catalog', id }), fetched: result.fetched };
    } finally {
      this.downloads.delete(id);
    }
  }

  async close(): Promise<void> {
    for (const controller of this.downloads.values()) controller.abort();
    await Promise.all([...this.imports.values()].map((w) => w.stop(1000)));
  }
}
