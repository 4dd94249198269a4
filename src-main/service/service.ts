/**
 * The service: implements the contract over the data layer, the run store and the workers.
 * Every face (CLI, browser mode, Electron IPC) calls `invoke` with a request already parsed
 * against the contract, and listens to its events.
 */
import { EventEmitter } from 'node:events';
import { cpus } from 'node:os';
import { mkdirSync } from 'node:fs';
import type { Channel, Events, EventName, Responses, SystemInfo } from '../shared/contract.js';
import { UserError } from '../shared/errors.js';
import { parseModelSpec, describeSpecErrors, specFitError, type ModelSpec } from '../shared/spec.js';
import { summarize } from '../shared/summary.js';
import { PRESETS } from '../shared/presets.js';
import { kerasCode } from '../shared/keras.js';
import type { WorkerHost } from '../workers/host.js';
import { NodeWorkerHost } from '../workers/node-host.js';
import { openStore, type RunStore } from '../store/runs.js';
import { RunQueue } from './queue.js';
import { DatasetService } from './datasets.js';
import { ExperimentService } from './experiments.js';
import { compareRuns } from './compare.js';
import { systemVersions } from './versions.js';

export interface ServiceOptions {
  home: string;
  host?: WorkerHost;
  /** Trainer processes at once; default: the number of cores. */
  concurrency?: number;
  backend?: SystemInfo['settings']['backend'];
  trainingPath?: SystemInfo['settings']['trainingPath'];
  /** Base address for catalog downloads instead of the published ones; default: LAYERLAB_DATASET_MIRROR. */
  datasetMirror?: string;
}

type Handler<C extends Channel> = (request: never) => Promise<Responses[C]> | Responses[C];

export class Service {
  readonly home: string;
  private readonly emitter = new EventEmitter();
  private store!: RunStore;
  private queue!: RunQueue;
  private datasets!: DatasetService;
  private experiments!: ExperimentService;
  private readonly settings: SystemInfo['settings'];
  private lastBackend: SystemInfo['backend'] = null;

  constructor(private readonly options: ServiceOptions) {
    this.home = options.home;
    this.settings = {
      concurrency: options.concurrency ?? Math.max(1, cpus().length),
      trainingPath: options.trainingPath ?? 'fast',
      backend: options.backend ?? 'auto',
    };
    this.emitter.setMaxListeners(100);
  }

  /** Opens the store and marks runs left running by a dead process as interrupted. */
  async start(): Promise<void> {
    mkdirSync(this.home, { recursive: true });
    this.store = openStore(this.home);
    this.store.recoverInterrupted();
    const host = this.options.host ?? new NodeWorkerHost();
    const emit = this.emit.bind(this);
    this.queue = new RunQueue({ home: this.home, store: this.store, host, emit, ...this.settings });
    this.datasets = new DatasetService(this.home, host, emit, this.options.datasetMirror ?? (process.env.LAYERLAB_DATASET_MIRROR || undefined));
    this.experiments = new ExperimentService(this.store, (args) => this.startRuns(args));
    this.on('runs:started', (e) => { this.lastBackend = { name: e.backend, device: e.device, skipped: e.skipped }; });
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  private emit<E extends EventName>(event: E, payload: Events[E]): void {
    this.emitter.emit(event, payload);
  }

  /** Resolves when no run is queued or running. */
  idle(): Promise<void> { return this.queue.idle(); }

  /**
   * 'quit' stops running runs cleanly (status stopped); 'shutdown' (logout, power off) marks them
   * interrupted. Either way every completed epoch is already on disk.
   */
  async close(reason: 'quit' | 'shutdown' = 'quit'): Promise<void> {
    if (!this.queue) return;
    await this.queue.stopAll(reason === 'quit' ? 'stop' : 'interrupt');
    await this.datasets.close();
    this.store.close();
  }

  /** Runs one command. The request has been parsed against the contract by the caller. */
  async invoke<C extends Channel>(channel: C, request: unknown): Promise<Responses[C]> {
    const handler = this.handlers[channel] as Handler<C>;
    return handler(request as never);
  }

  private parseSpec(input: unknown): ModelSpec {
    const r = parseModelSpec(input);
    if (!r.ok) throw new UserError(`invalid model spec: ${describeSpecErrors(r.errors)}`);
    return r.spec;
  }

  private startRuns(args: { spec: ModelSpec; datasetId: string; name?: string; tags?: string[]; notes?: string; limit?: number; repeat?: number; saveModel?: boolean; group?: string | null; experiment?: string | null }): { runIds: string[]; group: string | null } {
    this.datasets.assertTrainable(args.datasetId);
    // A model that cannot take the dataset is refused here, before any run is made of it. (An IDX
    // folder given by path is only read by the trainer, which makes the same check.)
    if (!args.datasetId.startsWith('idx:')) {
      const problem = specFitError(args.spec, this.datasets.show(args.datasetId));
      if (problem) throw new UserError(problem);
    }
    const repeat = args.repeat ?? 1;
    const baseName = args.name || 'run';
    const group = args.group ?? (repeat > 1 ? `${slug(baseName)}-${Date.now().toString(36)}` : null);
    const runIds: string[] = [];
    for (let i = 0; i < repeat; i++) {
      const seed = args.spec.training.seed + i;
      const spec = { ...args.spec, training: { ...args.spec.training, seed } };
      const runId = this.store.createRun({
        name: repeat > 1 ? `${baseName} (seed ${seed})` : baseName,
        group: group ?? undefined, experiment: args.experiment ?? undefined, spec, datasetId: args.datasetId,
        seed, limit: args.limit, tags: args.tags, notes: args.notes,
      });
      runIds.push(runId);
      this.emit('runs:queued', { run: this.store.getRun(runId)! });
      this.queue.enqueue({ runId, spec, datasetId: args.datasetId, limit: args.limit, saveModel: args.saveModel ?? false });
    }
    return { runIds, group };
  }

  private readonly handlers: { [C in Channel]: Handler<C> } = {
    'system:info': () => this.systemInfo(),
    'system:settings': (r: { concurrency?: number; trainingPath?: 'fast' | 'stock'; backend?: SystemInfo['settings']['backend'] }) => {
      if (r.concurrency !== undefined) { this.settings.concurrency = r.concurrency; this.queue.concurrency = r.concurrency; }
      if (r.trainingPath) { this.settings.trainingPath = r.trainingPath; this.queue.trainingPath = r.trainingPath; }
      if (r.backend) { this.settings.backend = r.backend; this.queue.backend = r.backend; }
      return { ...this.settings };
    },
    'datasets:list': () => this.datasets.list(),
    'datasets:show': (r: { id: string }) => this.datasets.show(r.id),
    'datasets:preview': (r: { id: string; perClass?: number }) => this.datasets.preview(r.id, r.perClass ?? 8),
    'datasets:samples': (r: { id: string; split: 'train' | 'test'; indices: number[] }) => this.datasets.samples(r.id, r.split, r.indices),
    'datasets:import': (r: { path: string; options?: Record<string, unknown>; importId?: string }) => this.datasets.import(r.path, r.options ?? {}, r.importId),
    'datasets:delete': (r: { id: string }) => this.datasets.delete(r.id),
    'datasets:download': (r: { id: 'fashion-mnist' | 'mnist'; mirror?: string; importId?: string }) => this.datasets.download(r.id, r.mirror, r.importId),
    'datasets:generate': (r: { kind: 'circle' | 'xor' | 'gaussian' | 'spiral'; samples?: number; noise?: number; seed?: number; name?: string }) => this.datasets.generate(r),
    'models:validate': (r: { spec: unknown }) => {
      const p = parseModelSpec(r.spec);
      return p.ok ? { ok: true, errors: [], spec: p.spec, summary: summarize(p.spec) } : { ok: false, errors: p.errors, spec: null, summary: null };
    },
    'models:presets': () => [...PRESETS],
    'models:keras': (r: { spec: unknown }) => ({ code: kerasCode(this.parseSpec(r.spec)) }),
    'runs:start': (r: { spec: unknown; datasetId: string; name?: string; tags?: string[]; notes?: string; limit?: number; repeat?: number; saveModel?: boolean }) =>
      this.startRuns({ ...r, spec: this.parseSpec(r.spec) }),
    'runs:stop': async (r: { id: string }) => {
      const run = this.requireRun(r.id);
      if (!(await this.queue.stop(r.id))) return { id: r.id, status: run.status };
      return { id: r.id, status: this.requireRun(r.id).status };
    },
    'runs:list': (r: { filter?: Parameters<RunStore['listRuns']>[0] }) => this.store.listRuns(r.filter ?? {}),
    'runs:show': (r: { id: string }) => this.requireRun(r.id),
    'runs:update': (r: { id: string; name?: string; notes?: string; tags?: string[] }) => {
      this.requireRun(r.id);
      this.store.updateRun(r.id, { name: r.name, notes: r.notes, tags: r.tags });
      return this.requireRun(r.id);
    },
    'runs:delete': async (r: { ids: string[] }) => {
      for (const id of r.ids) {
        this.requireRun(id);
        if (this.queue.isActive(id)) throw new UserError(`run ${id} is still training: stop it before deleting it`);
      }
      for (const id of r.ids) await this.queue.stop(id);
      this.store.deleteRuns(r.ids);
      return { deleted: r.ids };
    },
    'runs:export': (r: { id: string; out?: string }) => this.store.exportRun(r.id, r.out),
    'runs:import': (r: { path: string }) => this.store.importRun(r.path),
    'experiments:start': (r: Parameters<ExperimentService['start']>[0]) => this.experiments.start({ ...r, spec: this.parseSpec(r.spec) }),
    'experiments:status': (r: { id: string }) => this.experiments.status(r.id),
    'experiments:list': (r: { limit?: number }) => this.experiments.list(r.limit),
    'compare:runs': (r: { ids?: string[]; groups?: string[]; metric?: 'valAccuracy' | 'trainAccuracy' | 'valLoss' }) => compareRuns(this.store, r),
  };

  private requireRun(id: string) {
    const run = this.store.getRun(id);
    if (!run) throw new UserError(`no run with id ${id}: see 'layerlab runs list'`);
    return run;
  }

  private async systemInfo(): Promise<SystemInfo> {
    const v = await systemVersions();
    return {
      version: v.layerlab,
      home: this.home,
      backend: this.lastBackend,
      backendsAvailable: v.backends,
      versions: v.versions,
      cores: cpus().length,
      settings: { ...this.settings },
    };
  }
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'group';
}
