/**
 * The service: implements the contract over the data layer, the run store and the workers.
 * Every face (CLI, browser mode, Electron IPC) calls `invoke` with a request already parsed
 * against the contract, and listens to its events.
 */
import { EventEmitter } from 'node:events';
import { cpus, hostname } from 'node:os';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyParsed, Caller, Channel, Events, EventName, Parsed, ParsedRequests, QueueSettingInfo, QueueStatus, Responses, SystemInfo } from '../shared/contract.js';
import { datasetKey, toDatasetRef, type DatasetRef } from '../shared/dataset-ref.js';
import { UserError } from '../shared/errors.js';
import { message, messageText, type Message } from '../shared/messages.js';
import { describeFsCode } from '../shared/fs-errors.js';
import { parseModelSpec, describeSpecErrors, specFit, type ModelSpec } from '../shared/spec.js';
import { summarize } from '../shared/summary.js';
import { PRESETS } from '../shared/presets.js';
import { kerasCode } from '../shared/keras.js';
import type { WorkerHost } from '../workers/host.js';
import { NodeWorkerHost } from '../workers/node-host.js';
import { LadderHost, type GpuHost } from '../workers/ladder-host.js';
// bullmq and ioredis load only when a queue is used (they cost every other start ~0.4 s): types here, code by import().
import type { RedisHost } from '../workers/redis/host.js';
import type { RunningWorker } from '../workers/redis/worker.js';
import { QueueSwitch } from '../workers/redis/switch.js';
import { checkRedisUrl, redactUrl } from '../workers/redis/protocol.js';
import { readQueueSetting, writeQueueSetting, type QueueSetting } from './queue-setting.js';
import { BACKEND_NAMES } from '../shared/backends.js';
import { BrowserGpuHost } from '../workers/browser-host.js';
import { openStore, type RunStore } from '../store/runs.js';
import { databasePath, storeFailure } from '../store/db.js';
import { makeFolders } from '../store/files.js';
import { RunQueue } from './queue.js';
import { DatasetService } from './datasets.js';
import { cleanStaleTemps } from '../data/cache/index.js';
import { ExperimentService } from './experiments.js';
import { compareRuns } from './compare.js';
import { systemVersions } from './versions.js';
import { FileRefs } from './file-refs.js';
import { isDecisionRegions, type RegionsView } from '../shared/regions.js';
import type { DatasetInfo } from '../shared/datasets.js';
import { continueMismatch, evaluateRun, predictRun, savedModelDir } from './saved-models.js';

export interface ServiceOptions {
  home: string;
  host?: WorkerHost;
  /** Trainer processes at once; default: the number of cores. */
  concurrency?: number;
  backend?: SystemInfo['settings']['backend'];
  trainingPath?: SystemInfo['settings']['trainingPath'];
  /** `auto` measures every rung before each run, ignoring the probe cache (CLI --reprobe). */
  reprobe?: boolean;
  /** The GPU rungs' host (a browser or a hidden window); default: a headless browser found on this machine, unless `host` is given. */
  gpu?: GpuHost;
  /** Base address for catalog downloads instead of the published ones; default: LAYERLAB_DATASET_MIRROR. */
  datasetMirror?: string;
  /**
   * Train on `layerlab worker` processes through a Redis queue (workers/redis) instead of local
   * trainers: the address, the workers' stall time, and where status lines go (dispatch paused…).
   */
  redis?: { url: string; stallSeconds?: number; onStatus?: (line: string) => void; /** Queue workers in this process too (this machine's trainers take runs from the queue). */ localWorkers?: number };
  /**
   * Use the queue saved in the data folder (<home>/queue.json) when `redis` is not given, and let
   * the faces change it (queue:set): the desktop app and `layerlab serve`. A saved queue that
   * cannot be reached does not stop the start: dispatch waits, paused, with why.
   */
  savedQueue?: boolean;
  /** Where the saved queue's status lines go (dispatch paused…), as `redis.onStatus` does for --redis. */
  onQueueLine?: (line: string) => void;
}

/** A channel's handler, typed from the contract: the parsed request in, the response out. */
type Handlers = { [C in Channel]: (request: ParsedRequests[C], caller: Caller) => Promise<Responses[C]> | Responses[C] };

/** The least trust: what a transport assumes when it says nothing else. */
const PAGE: Caller = { face: 'page' };

export class Service {
  readonly home: string;
  private readonly gpu: GpuHost | undefined;
  private readonly emitter = new EventEmitter();
  private store!: RunStore;
  private queue!: RunQueue;
  private host!: WorkerHost;
  private datasets!: DatasetService;
  private experiments!: ExperimentService;
  private readonly settings: SystemInfo['settings'];
  private localWorker: RunningWorker | undefined;
  /** Where runs go: this machine's trainers or a Redis queue (switch.queue), changeable (queue:set). */
  private switch!: QueueSwitch;
  /** The queue whose status the faces see, its address, this machine's trainers on it, and whence it came. */
  private queueHost: RedisHost | null = null;
  private queueUrl: string | null = null;
  private localWanted = 0;
  private localStarting = false;
  private queueSource: QueueSettingInfo['source'] = null;
  /** Why the saved queue setting was not used (a damaged queue.json), until it is set again. */
  private queueProblem: Message | null = null;
  /** Local queue workers of replaced queues, finishing their runs. */
  private readonly closing = new Set<Promise<void>>();
  private lastBackend: SystemInfo['backend'] = null;
  /** The Redis queue's state, as last reported (null: runs train here). */
  private queueStatus: QueueStatus | null = null;
  /** Handles for files the faces obtained safely (uploads, dialogs): see file-refs.ts. */
  readonly files = new FileRefs();

  constructor(private readonly options: ServiceOptions) {
    // A caller with its own host brings its own GPU host too (or none: no GPU rungs there).
    this.gpu = options.gpu ?? (options.host ? undefined : new BrowserGpuHost());
    this.home = options.home;
    this.settings = {
      concurrency: options.concurrency ?? Math.max(1, cpus().length),
      trainingPath: options.trainingPath ?? 'fast',
      backend: options.backend ?? 'auto',
      reprobe: options.reprobe ?? false,
    };
    this.emitter.setMaxListeners(100);
  }

  /** Opens the store and marks runs left running by a dead process as interrupted. */
  async start(): Promise<void> {
    try {
      makeFolders(this.home);
    } catch (err) {
      throw new UserError(`${this.home}: cannot create the data folder: ${describeFsCode((err as NodeJS.ErrnoException).code) ?? (err as Error).message}`);
    }
    sweepOld(join(this.home, 'downloads'));
    this.store = openStore(this.home);
    this.store.recoverInterrupted();
    cleanStaleTemps(this.home);
    const local = this.options.host ?? new LadderHost(new NodeWorkerHost(), this.gpu ?? new BrowserGpuHost());
    this.localHost = local;
    this.switch = new QueueSwitch(local);
    try {
      if (this.options.redis) {
        const { url, localWorkers } = this.options.redis;
        const remote = await this.openQueue(url, localWorkers ?? 0);
        await remote.connect();
        this.queueSource = 'flag';
        await this.switch.use(remote);
        if (localWorkers) await this.startLocalWorkers(remote, true);
      } else if (this.options.savedQueue) {
        const saved = this.readSavedQueue();
        if (saved) await this.useQueue(saved.url, saved.localWorkers);
      }
    } catch (err) {
      await this.switch.close();
      this.store.close();
      throw err;
    }
    const host: WorkerHost = this.switch;
    this.host = host;
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
    await this.localWorker?.close();
    await Promise.all(this.closing);
    await this.host.close?.();
    this.queue.recordPending();
    this.files.releaseAll();
    this.store.close();
  }

  /**
   * Runs one command. It takes only a request the contract parsed (contract.ts parseRequest or
   * parseTyped): this is the one door, whatever the face. `caller` is the face's word on who
   * asks (file-refs.ts); a transport that says nothing gets a page's rights.
   */
  async invoke<C extends Channel>(parsed: Parsed<C>, caller: Caller = PAGE): Promise<Responses[C]> {
    const handler: Handlers[C] = this.handlers[parsed.channel];
    try {
      return await handler(parsed.request, caller);
    } catch (err) {
      throw storeFailure(databasePath(this.home), err);
    }
  }

  /** invoke for a transport holding some channel's request: the response is the channel's. */
  dispatch(parsed: AnyParsed, caller: Caller = PAGE): Promise<Responses[Channel]> {
    return this.invoke<Channel>(parsed, caller);
  }

  private localHost!: WorkerHost;

  /** A Redis queue host whose status reaches the faces while it is the one runs go to. */
  private async openQueue(url: string, localWorkers: number): Promise<RedisHost> {
    const { RedisHost } = await import('../workers/redis/host.js');
    const stallSeconds = this.options.redis?.stallSeconds;
    const onStatus = this.options.redis?.onStatus ?? this.options.onQueueLine;
    const host: RedisHost = new RedisHost({
      url, home: this.home, local: this.localHost, ...(stallSeconds ? { stallMs: stallSeconds * 1000 } : {}), ...(onStatus ? { onStatus } : {}),
      localWorkers, onQueue: (status) => {
        if (host !== this.queueHost) return;
        this.queueStatus = status;
        this.emit('system:queue', { status });
        if (status.state === 'connected' || status.state === 'resumed') void this.startLocalWorkers(host, false);
      },
    });
    this.queueHost = host;
    this.queueUrl = url;
    this.localWanted = localWorkers;
    return host;
  }

  /** This machine's trainers take runs from the queue too, once it is reached. */
  private async startLocalWorkers(host: RedisHost, strict: boolean): Promise<void> {
    if (host !== this.queueHost || !this.localWanted || this.localWorker || this.localStarting || !this.queueUrl) return;
    this.localStarting = true;
    const stallSeconds = this.options.redis?.stallSeconds;
    try {
      const { startWorker } = await import('../workers/redis/worker.js');
      const w = await startWorker({ url: this.queueUrl, home: this.home, concurrency: this.localWanted, host: this.localHost, name: `${hostname()}:${process.pid}:local`, ...(stallSeconds ? { stallMs: stallSeconds * 1000 } : {}), log: () => undefined });
      if (host === this.queueHost) this.localWorker = w;
      else this.retireLocalWorker(w);
    } catch (err) {
      // A saved queue's trainers start at the next connection; a flag's failure is the command's.
      if (strict) throw err;
    } finally {
      this.localStarting = false;
    }
  }

  /** A replaced queue's local worker takes no more runs and finishes those it has. */
  private retireLocalWorker(w: RunningWorker | undefined): void {
    if (!w) return;
    const p = w.close().catch(() => undefined).finally(() => this.closing.delete(p));
    this.closing.add(p);
  }

  /**
   * Runs go to this queue from now on (null: this machine). Runs no worker of the old queue has
   * taken come back and go first to the new place; runs on its workers finish there.
   */
  private async useQueue(url: string | null, localWorkers: number): Promise<void> {
    this.retireLocalWorker(this.localWorker);
    this.localWorker = undefined;
    let next: RedisHost | null = null;
    if (url) {
      next = await this.openQueue(url, localWorkers);
      await next.connect({ wait: true });
    } else {
      this.queueHost = null;
      this.queueUrl = null;
      this.localWanted = 0;
    }
    this.queueSource = url ? 'setting' : null;
    this.queueStatus = next ? next.queueStatus() : null;
    this.emit('system:queue', { status: this.queueStatus });
    await this.switch.use(next);
  }

  /**
   * The saved queue setting. A damaged or unreadable queue.json does not stop the app: runs train
   * here, and Settings (and serve's terminal) say why until the queue is set again.
   */
  private readSavedQueue(): QueueSetting | null {
    try {
      return readQueueSetting(this.home);
    } catch (err) {
      if (!(err instanceof UserError) || !err.coded) throw err;
      this.queueProblem = err.coded;
      return null;
    }
  }

  /** Where runs go now, and whence that came (the address with its password as ***). */
  queueSetting(): QueueSettingInfo { return this.queueSettingInfo(); }

  private queueSettingInfo(): QueueSettingInfo {
    return {
      source: this.queueSource, url: this.queueUrl ? redactUrl(this.queueUrl) : null, localWorkers: this.localWanted,
      editable: this.options.savedQueue === true && this.queueSource !== 'flag',
      problem: this.queueProblem,
    };
  }

  /** queue:set: checks the address and reaches it before saving; then runs go there. */
  private async setQueue(r: ParsedRequests['queue:set']): Promise<Responses['queue:set']> {
    if (this.queueSource === 'flag') throw new UserError(message('queue.fromFlag'));
    if (!this.options.savedQueue) throw new UserError(message('queue.noSetting'));
    const localWorkers = r.localWorkers ?? 0;
    if (r.url === null || r.url.trim() === '') {
      writeQueueSetting(this.home, null);
      this.queueProblem = null;
      await this.useQueue(null, 0);
    } else {
      const url = checkRedisUrl(r.url.trim(), 'Redis address');
      const { connectOrExplain } = await import('../workers/redis/host.js');
      const probe = await connectOrExplain(url, 'Redis address');
      probe.disconnect();
      writeQueueSetting(this.home, { url, localWorkers });
      this.queueProblem = null;
      await this.useQueue(url, localWorkers);
    }
    return { ...this.queueSettingInfo(), status: this.queueStatus };
  }

  private parseSpec(input: unknown): ModelSpec {
    const r = parseModelSpec(input);
    if (!r.ok) throw new UserError(`invalid model spec: ${describeSpecErrors(r.errors)}`);
    return r.spec;
  }

  private startRuns(args: { spec: ModelSpec; dataset: DatasetRef; name?: string; tags?: string[]; notes?: string; limit?: number; repeat?: number; saveModel?: boolean; group?: string | null; experiment?: string | null; continueFrom?: string }): { runIds: string[]; group: string | null } {
    this.datasets.assertTrainable(args.dataset);
    // A model that cannot take the dataset is refused here, before any run is made of it.
    const problem = specFit(args.spec, this.datasets.show(args.dataset));
    if (problem) throw new UserError(problem);
    const datasetId = datasetKey(args.dataset);
    let initFrom: string | undefined;
    let notes = args.notes;
    if (args.continueFrom) {
      const source = this.requireRun(args.continueFrom);
      initFrom = savedModelDir(this.home, source);
      const mismatch = continueMismatch(source, args.spec);
      if (mismatch) throw new UserError(mismatch);
      const from = `Continued from run ${source.id} (${source.name}), its epoch ${source.modelEpoch ?? source.epochsDone}.`;
      notes = notes ? `${notes}\n\n${from}` : from;
    }
    // A checkpoint means "keep the best epoch's model": it is kept whether or not asked.
    const saveModel = (args.saveModel ?? false) || args.spec.training.checkpoint !== undefined;
    const repeat = args.repeat ?? 1;
    const baseName = args.name || 'run';
    const group = args.group ?? (repeat > 1 ? `${slug(baseName)}-${Date.now().toString(36)}` : null);
    const runIds: string[] = [];
    for (let i = 0; i < repeat; i++) {
      const seed = args.spec.training.seed + i;
      const spec = { ...args.spec, training: { ...args.spec.training, seed } };
      const runId = this.store.createRun({
        name: repeat > 1 ? `${baseName} (seed ${seed})` : baseName,
        group: group ?? undefined, experiment: args.experiment ?? undefined, spec, datasetId,
        seed, limit: args.limit, tags: args.tags, notes, continuedFrom: args.continueFrom,
      });
      runIds.push(runId);
      this.emit('runs:queued', { run: this.store.getRun(runId)! });
      this.queue.enqueue({ runId, spec, dataset: args.dataset, limit: args.limit, saveModel, initFrom });
    }
    return { runIds, group };
  }

  private readonly handlers: Handlers = {
    'system:info': () => this.systemInfo(),
    'system:settings': (r) => {
      if (r.concurrency !== undefined) { this.settings.concurrency = r.concurrency; this.queue.concurrency = r.concurrency; }
      if (r.trainingPath) { this.settings.trainingPath = r.trainingPath; this.queue.trainingPath = r.trainingPath; }
      if (r.backend) { this.settings.backend = r.backend; this.queue.backend = r.backend; }
      if (r.reprobe !== undefined) { this.settings.reprobe = r.reprobe; this.queue.reprobe = r.reprobe; }
      return { ...this.settings };
    },
    'datasets:list': () => this.datasets.list(),
    'datasets:show': (r) => this.datasets.show(r.id),
    'datasets:preview': (r) => this.datasets.preview(r.id, r.perClass ?? 8),
    'datasets:samples': (r) => this.datasets.samples(r.id, r.split, r.indices),
    'datasets:import': async (r, caller) => {
      const source = this.files.resolve(r.source, caller, 'read', 'source');
      try {
        const labels = r.labels ? this.files.resolve(r.labels, caller, 'read', 'labels') : undefined;
        try {
          return await this.datasets.import(source.path, { ...r.options, labelsPath: labels?.path }, r.importId);
        } finally {
          labels?.done();
        }
      } finally {
        source.done();
      }
    },
    'datasets:cancel': (r) => ({ cancelled: this.datasets.cancel(r.importId) }),
    'datasets:delete': (r) => this.datasets.delete(r.id),
    'datasets:download': (r) => this.datasets.download(r.id, r.importId),
    'datasets:generate': (r) => this.datasets.generate(r),
    'models:validate': (r) => {
      const p = parseModelSpec(r.spec);
      return p.ok ? { ok: true, errors: [], spec: p.spec, summary: summarize(p.spec) } : { ok: false, errors: p.errors, spec: null, summary: null };
    },
    'models:presets': () => [...PRESETS],
    'models:keras': (r) => ({ code: kerasCode(this.parseSpec(r.spec)) }),
    'runs:start': (r) => {
      const { datasetId, spec, ...rest } = r;
      return this.startRuns({ ...rest, dataset: datasetId, spec: this.parseSpec(spec) });
    },
    'runs:stop': async (r) => {
      const run = this.requireRun(r.id);
      if (!(await this.queue.stop(r.id))) return { id: r.id, status: run.status };
      return { id: r.id, status: this.requireRun(r.id).status };
    },
    'runs:list': (r) => this.store.listRuns(r.filter ?? {}),
    'runs:show': (r) => this.requireRun(r.id),
    'runs:update': (r) => {
      this.requireRun(r.id);
      this.store.updateRun(r.id, { name: r.name, notes: r.notes, tags: r.tags });
      return this.requireRun(r.id);
    },
    'runs:delete': async (r) => {
      for (const id of r.ids) {
        this.requireRun(id);
        if (this.queue.isActive(id)) throw new UserError(message('run.stillTraining', { id }));
      }
      for (const id of r.ids) await this.queue.stop(id);
      this.store.deleteRuns(r.ids);
      return { deleted: r.ids };
    },
    'runs:export': (r, caller) => {
      if (!r.out && caller.face === 'page' && caller.downloads) return this.exportForDownload(r.id);
      const out = r.out ? this.files.resolve(r.out, caller, 'write', 'out') : undefined;
      try {
        return this.store.exportRun(r.id, out?.path, { overwrite: r.overwrite ?? false });
      } finally {
        out?.done();
      }
    },
    'runs:import': (r, caller) => {
      const source = this.files.resolve(r.source, caller, 'read', 'source');
      try {
        return this.store.importRun(source.path);
      } finally {
        source.done();
      }
    },
    'runs:predict': async (r, caller) => {
      const run = this.requireRun(r.id);
      const refs = r.images ?? [];
      const files = refs.map((ref, i) => this.files.resolve(ref, caller, 'read', `images.${i}`));
      try {
        const images = files.map((f, i) => ({ source: 'path' in refs[i] ? f.path : f.label, path: f.path }));
        return await predictRun({ home: this.home, host: this.host, backend: this.settings.backend }, run, images, r.samples ?? [], r.maps ?? false);
      } finally {
        for (const f of files) f.done();
      }
    },
    'runs:evaluate': (r) => evaluateRun({ home: this.home, store: this.store, host: this.host, backend: this.settings.backend }, this.requireRun(r.id)),
    'runs:regions': (r) => this.regions(r.id),
    'experiments:start': (r) => {
      const { datasetId, spec, ...rest } = r;
      return this.experiments.start({ ...rest, dataset: datasetId, spec: this.parseSpec(spec) });
    },
    'experiments:status': (r) => this.experiments.status(r.id),
    'experiments:list': (r) => this.experiments.list(r.limit),
    'queue:set': (r) => this.setQueue(r),
    'compare:runs': (r) => compareRuns(this.store, r, (id) => {
      const d = this.datasets.list().find((x) => x.id === id);
      return d ? { name: d.name, trainCount: d.trainCount } : null;
    }),
  };

  /**
   * Browser mode: the export goes to a fresh folder under <home>/downloads and comes back as a
   * one-time download address (server/transfers.ts); the page never learns a path.
   */
  private exportForDownload(id: string): Responses['runs:export'] {
    const dir = join(this.home, 'downloads');
    mkdirSync(dir, { recursive: true });
    const folder = mkdtempSync(join(dir, 'dl-'));
    const name = `${id}.layerlab-run.json`;
    try {
      const { bytes } = this.store.exportRun(id, join(folder, name));
      const handle = this.files.grant(join(folder, name), { purpose: 'download', temporary: true, label: name, removes: folder });
      return { path: name, bytes, download: `/download/${handle}` };
    } catch (err) {
      rmSync(folder, { recursive: true, force: true });
      throw err;
    }
  }

  /** A run's decision regions (its 'regions' artifact) with its dataset's class and feature names. */
  private regions(id: string): RegionsView | null {
    const run = this.requireRun(id);
    const bytes = this.store.readArtifactFile(run.id, 'regions', 'regions.json');
    if (!bytes) return null;
    let regions: unknown;
    try { regions = JSON.parse(Buffer.from(bytes).toString('utf8')); } catch { regions = null; }
    if (!isDecisionRegions(regions)) throw new UserError(`run ${id}: its decision regions file is damaged; evaluate the run again to redraw them`);
    const k = Math.max(0, ...regions.cls, ...regions.train.label, ...regions.held.label) + 1;
    let info: DatasetInfo | null = null;
    const ref = toDatasetRef(run.datasetId);
    try { info = 'problem' in ref ? null : this.datasets.show(ref); } catch { info = null; }
    const classNames = info && info.classNames.length >= k ? info.classNames : Array.from({ length: k }, (_, i) => String(i));
    const names = info?.featureNames;
    return { ...regions, classNames, featureNames: names && names.length === 2 ? [names[0], names[1]] : ['x₁', 'x₂'] };
  }

  private requireRun(id: string) {
    const run = this.store.getRun(id);
    if (!run) throw new UserError(message('run.notFound', { id }));
    return run;
  }

  private async systemInfo(): Promise<SystemInfo> {
    const v = await systemVersions();
    return {
      version: v.layerlab,
      home: this.home,
      backend: this.lastBackend,
      backendsAvailable: v.backends,
      backendLadder: BACKEND_NAMES.map((name) => {
        const said = (available: boolean | null, coded: Message) => ({ name, available, reason: messageText(coded), coded });
        switch (name) {
          case 'tensorflow': return v.backends.includes('tensorflow') ? { name, available: true, reason: null } : said(false, message('backend.notInstalled', { package: '@tensorflow/tfjs-node-gpu' }));
          case 'webgpu':
          case 'webgl': {
            if (!this.gpu) return said(false, message('backend.noGpuPage'));
            const why = this.gpu.unavailableReason();
            return said(why ? false : null, why ?? message('backend.browserAtRun'));
          }
          case 'native': return said(null, message('backend.nativeAtRun'));
          case 'wasm': return v.backends.includes('wasm') ? { name, available: true, reason: null } : said(false, message('backend.packageMissing', { package: '@tensorflow/tfjs-backend-wasm' }));
          default: return { name, available: true, reason: null };
        }
      }),
      versions: v.versions,
      cores: cpus().length,
      settings: { ...this.settings },
      queue: this.queueStatus,
      queueSetting: this.queueSettingInfo(),
    };
  }
}

/** Download folders are tied to handles that die with their process: leftovers older than a day go. */
function sweepOld(dir: string, olderThanMs = 24 * 3600 * 1000): void {
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const n of names) {
    try {
      if (statSync(join(dir, n)).mtimeMs < Date.now() - olderThanMs) rmSync(join(dir, n), { recursive: true, force: true });
    } catch { /* gone already */ }
  }
}

function slug(s: string): string {
  // Letters of any script stay ("한국어 시험" → "한국어-시험"): the id is what a user types to compare.
  return [...s.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')].slice(0, 40).join('').replace(/-$/, '') || 'group';
}
