/**
 * The owner's side of the Redis queue: a WorkerHost whose trainers are `layerlab worker`
 * processes anywhere, so the run queue, the store and the faces are unchanged. A 'train' request
 * becomes a BullMQ job; the workers' reports come back on this owner's stream and are handed to
 * the queue as the trainer's own messages, each attempt numbered, repeats and reports of a lost
 * attempt dropped. Everything else (importers, saved-model jobs, probes) stays on the local host.
 *
 * Faults: while Redis cannot be reached, runs wait here and a status line says dispatch is
 * paused; when it is back they go out. A run whose job Redis lost (it restarted without its data)
 * and whose worker has been silent for the stall time is queued again. BullMQ's stalled-job
 * check hands a dead worker's job to another worker; its first report starts a new attempt.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeferredHandle, stopGracefully, type ExitInfo, type WorkerHandle, type WorkerHost, type WorkerKind } from '../host.js';
import type { TrainerMessage, TrainerRequest } from '../protocol.js';
import { datasetKey } from '../../shared/dataset-ref.js';
import { UserError } from '../../shared/errors.js';
import { message } from '../../shared/messages.js';
import { LAYERLAB_VERSION } from '../../shared/version.js';
import type { RunWorker } from '../../shared/runs.js';
import type { QueueStatus } from '../../shared/contract.js';
import { JOB_FORMAT, QUEUE_NAME, keys, parseReport, redactUrl, type RemoteJob, type Report } from './protocol.js';
import { bundleDataset, datasetHash, MAX_BUNDLE_BYTES } from './datasets.js';

export interface RedisHostOptions {
  url: string;
  /** The owner's data folder (datasets to send, models to receive). */
  home: string;
  /** Where everything but training runs. */
  local: WorkerHost;
  /** How long a worker may be silent before its run counts as lost (the workers' --stall-seconds). */
  stallMs?: number;
  /** Status lines for the user: dispatch paused, resumed, a run retried. */
  onStatus?: (line: string) => void;
  /** The queue's state for the faces (the 'system:queue' event), on every change. */
  onQueue?: (status: QueueStatus) => void;
  /** This process's own queue workers, for the status (0: none). */
  localWorkers?: number;
}

export type QueueState = 'connecting' | 'ready' | 'down';

/** ioredis options for every connection: retry forever, a little slower each time, up to 2 s. */
export function redisOptions(): RedisOptions {
  return { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(200 * n, 2000), lazyConnect: true };
}

/** One line for a connection error: a refused password, a refused connection, or the error's own words. */
export function describeRedisError(url: string, err: Error): string {
  const { code, detail } = queueReason(err);
  return code === 'password'
    ? `Redis at ${redactUrl(url)} refused the password (${detail}): check user and password in the address`
    : `Redis at ${redactUrl(url)} cannot be reached (${detail})`;
}

/** Why Redis cannot be used, as the queue's status says it (the faces translate the code). */
export function queueReason(err: Error | undefined): NonNullable<QueueStatus['reason']> {
  if (!err) return { code: 'lost', detail: '' };
  const m = err.message;
  if (/WRONGPASS|NOAUTH|invalid password|AUTH/i.test(m)) return { code: 'password', detail: m.split('\n')[0].slice(0, 120) };
  return { code: 'unreachable', detail: ((err as NodeJS.ErrnoException).code ?? m).slice(0, 160) };
}

/** Connects, or throws a one-line UserError after `timeoutMs` (a wrong address must not hang a command). */
export async function connectOrExplain(url: string, flag: string, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, redisOptions());
  let last: Error | null = null;
  redis.on('error', (err: Error) => { last = err; });
  const timer = setTimeout(() => redis.disconnect(), timeoutMs);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    const reason = queueReason(last ?? (err as Error));
    throw new UserError(message(reason.code === 'password' ? 'queue.password' : 'queue.unreachable', { field: flag, url: redactUrl(url), detail: reason.detail }));
  } finally {
    clearTimeout(timer);
  }
}

type TrainRequest = Extract<TrainerRequest, { type: 'train' }>;

/** One run on the queue, as the run queue sees it: a trainer handle. */
class RemoteRun implements WorkerHandle {
  readonly pid = undefined;
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly exitListeners: ((info: ExitInfo) => void)[] = [];
  ended = false;
  /** Attempt keys in the order their first report came; the last is the run's own. */
  private readonly attempts: string[] = [];
  private readonly lastSeq = new Map<string, number>();
  private workers = new Map<string, RunWorker>();
  /** When a report of this run last came (the stall clock). */
  lastHeard = Date.now();
  job: RemoteJob | null = null;
  request: TrainRequest | null = null;
  /** Queued on Redis (or waiting for it). */
  submitted = false;
  /** A worker started it (its first attempt's 'started' came). */
  get taken(): boolean { return this.attempts.length > 0; }

  constructor(private readonly host: RedisHost) {}

  send(message: unknown): void {
    const m = message as TrainerRequest;
    if (this.ended) return;
    if (m?.type === 'train') {
      this.request = m;
      this.host.submit(this);
    } else if (m?.type === 'stop') {
      void this.host.requestStop(this);
    }
  }

  onMessage(listener: (m: unknown) => void): void { this.messageListeners.push(listener); }
  onExit(listener: (info: ExitInfo) => void): void { this.exitListeners.push(listener); }
  stop(graceMs = 3000): Promise<void> { return stopGracefully(this, this.ended, graceMs); }

  kill(): void {
    if (this.ended) return;
    void this.host.requestStop(this);
    this.end({ code: null, signal: 'SIGKILL', stderrTail: '' });
  }

  end(info: ExitInfo): void {
    if (this.ended) return;
    this.ended = true;
    this.host.forget(this);
    for (const l of this.exitListeners) l(info);
  }

  private forward(m: TrainerMessage): void {
    for (const l of this.messageListeners) l(m);
  }

  /** A report from a worker: numbered, de-duplicated, turned into the trainer's message. */
  receive(r: Report): void {
    if (this.ended) return;
    const m = r.message;
    let n = this.attempts.indexOf(r.key) + 1;
    if (n === 0) {
      // A refusal before any attempt started ends the run with its reason; once one runs, another worker's refusal does not.
      if (m.type === 'error' && this.attempts.length === 0) {
        this.forward(m);
        this.end({ code: 1, signal: null, stderrTail: '' });
        return;
      }
      if (m.type !== 'started') return;
      this.attempts.push(r.key);
      n = this.attempts.length;
    }
    // Reports of an attempt another has replaced are kept out of the run.
    if (n !== this.attempts.length) return;
    const seq = this.lastSeq.get(r.key) ?? -1;
    if (r.seq <= seq) return;
    this.lastSeq.set(r.key, r.seq);
    this.lastHeard = Date.now();
    this.host.heard(r.worker);
    switch (m.type) {
      case 'started': {
        const worker: RunWorker = { ...r.worker, backend: m.backend, device: m.device };
        const lost = n > 1 ? this.workers.get(this.attempts[n - 2]) : undefined;
        this.workers.set(r.key, worker);
        if (n > 1) this.host.status(`run ${r.runId}: attempt ${n - 1} on ${lost?.name ?? 'a worker'} was lost; attempt ${n} runs on ${worker.name}`);
        this.forward({ ...m, attempt: n, worker, ...(n > 1 ? { lostWhy: `its worker ${lost?.name ?? ''} stopped reporting (killed or cut off); the run was retried on ${worker.name}` } : {}) });
        break;
      }
      case 'epoch':
        this.forward({ ...m, attempt: n });
        break;
      case 'model-files': {
        const dir = this.request?.modelDir;
        if (!dir) break;
        mkdirSync(dir, { recursive: true });
        const names: string[] = [];
        for (const [name, data] of Object.entries(m.files)) {
          if (name !== 'model.json' && name !== 'weights.bin') continue;
          writeFileSync(join(dir, name), Buffer.from(data, 'base64'));
          names.push(name);
        }
        this.forward({ type: 'model', runId: r.runId, dir, files: names });
        break;
      }
      case 'done':
      case 'error':
        this.forward(m);
        this.end({ code: m.type === 'done' ? 0 : 1, signal: null, stderrTail: '' });
        break;
      default:
        this.forward(m);
    }
  }
}

/** A trainer handle that goes to the queue for a 'train' request and to the local host for anything else. */
class Routed extends DeferredHandle {
  constructor(private readonly remote: () => WorkerHandle, private readonly local: () => WorkerHandle) { super(); }
  send(message: unknown): void {
    if (!this.inner) {
      const m = message as TrainerRequest;
      if (m?.type === 'stop') { this.end({ code: 0, signal: null, stderrTail: '' }); return; }
      this.attach(m?.type === 'train' ? this.remote() : this.local());
    }
    this.inner!.send(message);
  }
}

export class RedisHost implements WorkerHost {
  readonly remote = true;
  /** This owner's name on the queue: its stream and its liveness key. */
  readonly owner = `${process.pid.toString(36)}-${randomBytes(6).toString('hex')}`;
  private readonly runs = new Map<string, RemoteRun>();
  private cmd!: Redis;
  private reader!: Redis;
  private queue!: Queue;
  private queueConnection!: Redis;
  private state: QueueState = 'connecting';
  private lastId = '0-0';
  private redisRunId: string | null = null;
  private closed = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly stallMs: number;
  private polling = false;
  /** Connected at least once (a first 'ready' says connected, later ones resumed). */
  private everReady = false;
  /** Set when retired: called once no run is left here. */
  private retired: (() => void) | null = null;
  /** What the faces are shown: the state, why it is paused, since when. */
  private view: QueueStatus['state'] = 'connecting';
  private reason: QueueStatus['reason'] = null;
  private since = new Date().toISOString();
  /** Workers heard from lately, by name. */
  private readonly seen = new Map<string, { host: string; at: number }>();

  constructor(private readonly o: RedisHostOptions) {
    this.stallMs = o.stallMs ?? 30_000;
  }

  /**
   * Connects (one line when Redis cannot be reached at start), then reads reports until closed.
   * `wait`: never fails for an unreachable Redis: dispatch starts paused, with why, and runs wait
   * here until it can be reached (the desktop app's saved queue, which must not stop the app).
   */
  async connect(o: { wait?: boolean } = {}): Promise<void> {
    if (o.wait) {
      this.state = 'down';
      this.cmd = new Redis(this.o.url, { ...redisOptions(), lazyConnect: false });
      this.cmd.on('error', (err: Error) => this.setState('down', err));
      this.cmd.on('close', () => this.setState('down'));
      this.cmd.on('ready', () => this.setState('ready'));
      this.reader = new Redis(this.o.url, { ...redisOptions(), lazyConnect: false });
      this.reader.on('error', () => undefined);
      this.queueConnection = new Redis(this.o.url, { ...redisOptions(), lazyConnect: false });
      this.queueConnection.on('error', () => undefined);
      this.queue = new Queue(QUEUE_NAME, { connection: this.queueConnection });
      this.queue.on('error', () => undefined);
      this.show('connecting', null);
      this.loop();
      return;
    }
    this.cmd = await connectOrExplain(this.o.url, '--redis');
    this.cmd.removeAllListeners('error');
    this.cmd.on('error', (err: Error) => this.setState('down', err));
    this.cmd.on('close', () => this.setState('down'));
    this.cmd.on('ready', () => this.setState('ready'));
    this.reader = new Redis(this.o.url, redisOptions());
    this.reader.on('error', () => undefined);
    await this.reader.connect();
    this.queueConnection = new Redis(this.o.url, { ...redisOptions(), lazyConnect: false });
    this.queueConnection.on('error', () => undefined);
    this.queue = new Queue(QUEUE_NAME, { connection: this.queueConnection });
    this.queue.on('error', () => undefined);
    this.redisRunId = await this.serverRunId();
    await this.beat();
    this.state = 'ready';
    this.everReady = true;
    this.show('connected', null);
    this.loop();
  }

  /** Reads the stream and polls the runs until closed. */
  private loop(): void {
    void this.readLoop();
    const every = Math.min(2000, Math.max(250, Math.round(this.stallMs / 3)));
    this.timers.push(setInterval(() => void this.poll(), every));
    for (const t of this.timers) t.unref();
  }

  /**
   * This queue is no longer where runs go (the user changed the setting): each run no worker has
   * taken yet (waiting here for Redis, or waiting on the queue) is taken off it and handed back to
   * the run queue, which starts it where runs go now; runs a worker trains go on and report here.
   * `onIdle` runs once no run is left here (then close this host).
   */
  async retire(onIdle: () => void): Promise<void> {
    this.retired = onIdle;
    for (const run of [...this.runs.values()]) {
      if (run.ended || run.taken) continue;
      if (run.submitted) {
        // Redis is away: whether a worker has it cannot be known; it stays here and ends as it would have.
        if (this.state !== 'ready') continue;
        try {
          const job = await this.queue.getJob(`run-${run.job!.runId}`);
          const state = job ? await job.getState() : 'unknown';
          if (!job || !['waiting', 'delayed', 'prioritized', 'paused'].includes(state)) continue;
          // Refused (it throws) when a worker locked it meanwhile: then that worker trains it.
          await job.remove();
        } catch {
          // Redis is away or a worker has it: the run stays here and ends as it would have.
          continue;
        }
      }
      run.end({ code: null, signal: null, stderrTail: '', requeue: true });
    }
    if (this.runs.size === 0) this.idleNow();
  }

  private idleNow(): void {
    const f = this.retired;
    this.retired = null;
    f?.();
  }

  start(kind: WorkerKind, options: { maxOldSpaceMB?: number } = {}): WorkerHandle {
    if (kind !== 'trainer') return this.o.local.start(kind, options);
    return new Routed(() => new RemoteRun(this), () => this.o.local.start(kind, options));
  }

  /** The queue's state: ready, or down (dispatch paused) with runs waiting here. */
  get queueState(): QueueState { return this.state; }

  status(line: string): void { this.o.onStatus?.(line); }

  /** The queue's state as the faces show it. */
  queueStatus(): QueueStatus {
    const recent = Date.now() - Math.max(60_000, this.stallMs);
    return {
      url: redactUrl(this.o.url), state: this.view, reason: this.reason,
      waiting: [...this.runs.values()].filter((r) => !r.submitted && !r.ended).length,
      workers: [...this.seen].filter(([, w]) => w.at >= recent).map(([name, w]) => ({ name, host: w.host })).sort((a, b) => a.name.localeCompare(b.name)),
      localWorkers: this.o.localWorkers ?? 0, since: this.since,
    };
  }

  private show(view: QueueStatus['state'], reason: QueueStatus['reason']): void {
    if (view !== this.view) this.since = new Date().toISOString();
    this.view = view;
    this.reason = reason;
    this.o.onQueue?.(this.queueStatus());
  }

  /** A report came from this worker: a worker new to the status is shown. */
  heard(w: { name: string; host: string }): void {
    const known = this.seen.get(w.name);
    this.seen.set(w.name, { host: w.host, at: Date.now() });
    if (!known || known.at < Date.now() - Math.max(60_000, this.stallMs)) this.o.onQueue?.(this.queueStatus());
  }

  private setState(state: QueueState, err?: Error): void {
    if (this.closed) return;
    if (state === this.state) {
      // Still down, and now it says why (the connection was lost, then refused): the status says so too.
      const r = state === 'down' && err ? queueReason(err) : null;
      if (r && (r.code !== this.reason?.code || r.detail !== this.reason.detail)) {
        // A saved queue not reached at start: one line, as when a reached one goes away.
        if (this.view === 'connecting') this.status(`${describeRedisError(this.o.url, err!)}: dispatch paused; retrying`);
        this.show('paused', r);
      }
      return;
    }
    this.state = state;
    const waiting = [...this.runs.values()].filter((r) => !r.submitted).length;
    if (state === 'down') {
      this.show('paused', queueReason(err));
      this.status(`${err ? describeRedisError(this.o.url, err) : `Redis at ${redactUrl(this.o.url)} cannot be reached (the connection was lost)`}: dispatch paused${waiting ? `, ${waiting} run(s) waiting` : ''}; retrying; runs already on workers go on`);
    } else if (state === 'ready') {
      this.show(this.everReady ? 'resumed' : 'connected', null);
      this.status(this.everReady ? `Redis at ${redactUrl(this.o.url)} is back: dispatch resumed` : `Redis at ${redactUrl(this.o.url)} is reached: dispatch started`);
      this.everReady = true;
      void this.afterReconnect();
    }
  }

  /** Redis came back: if it is a fresh one (restarted without its data), read its stream from the start and queue again what it lost. */
  private async afterReconnect(): Promise<void> {
    try {
      const id = await this.serverRunId();
      if (id !== this.redisRunId) {
        this.redisRunId = id;
        this.lastId = '0-0';
      }
      await this.beat();
      // Silence while Redis was away is not a worker's: the stall clock starts again now.
      for (const r of this.runs.values()) r.lastHeard = Date.now();
      const waiting = [...this.runs.values()].filter((r) => !r.submitted);
      for (const r of waiting) await this.dispatch(r);
      if (waiting.length) this.o.onQueue?.(this.queueStatus());
    } catch {
      // Down again: the next 'ready' tries again.
    }
  }

  private async serverRunId(): Promise<string | null> {
    const info = await this.cmd.info('server');
    return /run_id:(\w+)/.exec(info)?.[1] ?? null;
  }

  private beat(): Promise<unknown> {
    return this.cmd.set(keys.owner(this.owner), '1', 'PX', Math.max(60_000, this.stallMs * 4));
  }

  /** A train request from the run queue: made into a job and sent when Redis is there. */
  submit(run: RemoteRun): void {
    const req = run.request!;
    this.runs.set(req.runId, run);
    let initModel: RemoteJob['initModel'];
    if (req.initFrom) {
      const read = (name: string) => readFileSync(join(req.initFrom!, name)).toString('base64');
      initModel = { 'model.json': read('model.json'), 'weights.bin': read('weights.bin') };
    }
    run.job = {
      format: JOB_FORMAT, version: LAYERLAB_VERSION, owner: this.owner, runId: req.runId, spec: req.spec,
      dataset: datasetKey(req.dataset), datasetHash: datasetHash(this.o.home, req.dataset),
      ...(req.limit !== undefined ? { limit: req.limit } : {}), backend: req.backend, path: req.path,
      saveModel: req.modelDir !== undefined, ...(initModel ? { initModel } : {}),
    };
    if (this.state === 'ready') void this.dispatch(run);
    else this.o.onQueue?.(this.queueStatus());
  }

  /** Puts the dataset (once per Redis) and the job on the queue; on failure the run waits for Redis. */
  private async dispatch(run: RemoteRun): Promise<void> {
    const job = run.job!;
    const req = run.request!;
    try {
      if (req.dataset.kind === 'cache' && !(await this.cmd.exists(keys.dataset(job.datasetHash)))) {
        const bundle = bundleDataset(this.o.home, req.dataset);
        if (bundle.byteLength > MAX_BUNDLE_BYTES) {
          run.receive({ runId: job.runId, key: 'owner', seq: 0, worker: { host: '', pid: 0, name: '' }, message: { type: 'error', runId: job.runId, error: { name: 'UserError', message: `dataset ${job.dataset} is ${Math.round(bundle.byteLength / 1048576)} MiB, more than Redis can carry (${MAX_BUNDLE_BYTES / 1048576} MiB): train it locally (leave out --redis)` } } });
          return;
        }
        await this.cmd.set(keys.dataset(job.datasetHash), bundle, 'EX', 7 * 24 * 3600);
      }
      await this.queue.add('train', job, { jobId: `run-${job.runId}`, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
      run.submitted = true;
      run.lastHeard = Date.now();
    } catch {
      // Redis went away meanwhile: the run waits here until it is back.
    }
  }

  /** Asks a run's worker to stop after its epoch; a run still waiting is taken off the queue. */
  async requestStop(run: RemoteRun): Promise<void> {
    const runId = run.request?.runId;
    if (!runId) return;
    try {
      const job = await this.queue.getJob(`run-${runId}`);
      const state = job ? await job.getState() : 'unknown';
      if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
        await job.remove();
        run.end({ code: 0, signal: null, stderrTail: '' });
        return;
      }
      await this.cmd.set(keys.stop(runId), '1', 'EX', 24 * 3600);
    } catch {
      // Redis is away: the kill that follows a grace time ends the run here.
    }
    if (!run.submitted) run.end({ code: 0, signal: null, stderrTail: '' });
  }

  /** A run ended: its job, if one is still queued again somewhere (a retry after a Redis loss), goes. */
  forget(run: RemoteRun): void {
    const id = run.request?.runId;
    if (id && this.runs.get(id) === run) this.runs.delete(id);
    if (id && this.queue && !this.closed) void this.queue.remove(`run-${id}`).catch(() => undefined);
    if (this.retired && this.runs.size === 0) this.idleNow();
  }

  /** Reads this owner's stream: each report to its run, in order; read reports are deleted. */
  private async readLoop(): Promise<void> {
    const stream = keys.results(this.owner);
    while (!this.closed) {
      try {
        const got = await this.reader.xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', stream, this.lastId) as [string, [string, string[]][]][] | null;
        if (!got) continue;
        const ids: string[] = [];
        for (const [, entries] of got) {
          for (const [id, fields] of entries) {
            ids.push(id);
            this.lastId = id;
            const i = fields.indexOf('r');
            const report = i >= 0 ? parseReport(fields[i + 1]) : null;
            if (report) this.runs.get(report.runId)?.receive(report);
          }
        }
        if (ids.length) await this.reader.xdel(stream, ...ids);
      } catch {
        if (this.closed) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /**
   * Every few seconds: keeps this owner's liveness key, and looks at each run on the queue. A job
   * BullMQ failed (a worker refused it, or it stalled too often) ends its run with the reason; a
   * job Redis lost, of a run whose worker has been silent for the stall time, is queued again.
   */
  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.state !== 'ready') return;
    this.polling = true;
    try {
      await this.beat();
      // A worker not heard from for a while leaves the status.
      const recent = Date.now() - Math.max(60_000, this.stallMs);
      let gone = false;
      for (const [name, w] of this.seen) if (w.at < recent) { this.seen.delete(name); gone = true; }
      if (gone) this.o.onQueue?.(this.queueStatus());
      for (const run of [...this.runs.values()]) {
        if (!run.submitted || run.ended || !run.job) continue;
        const id = `run-${run.job.runId}`;
        const state = await this.queue.getJobState(id);
        if (state === 'failed') {
          const job = await this.queue.getJob(id);
          // Give the stream a moment: the worker's own error report says it better.
          if (Date.now() - run.lastHeard < 1500) continue;
          run.receive({ runId: run.job.runId, key: 'queue', seq: 0, worker: { host: '', pid: 0, name: '' }, message: { type: 'error', runId: run.job.runId, error: { name: 'Error', message: `the queue gave the run up: ${job?.failedReason ?? 'no reason given'}` } } });
          if (!run.ended) run.end({ code: 1, signal: null, stderrTail: job?.failedReason ?? '' });
        } else if ((state === 'unknown' || state === 'completed') && Date.now() - run.lastHeard > this.stallMs) {
          if (state === 'completed') await this.queue.remove(id).catch(() => undefined);
          this.status(`run ${run.job.runId}: Redis lost its job and no worker has reported for ${Math.round(this.stallMs / 1000)} s: queued again`);
          run.submitted = false;
          await this.dispatch(run);
        }
      }
    } catch {
      // Redis is away: the state change says so.
    } finally {
      this.polling = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    // A Redis that is away would hold these commands forever (they wait for it): a second at most.
    const atMost = (p: Promise<unknown> | undefined) => Promise.race([p?.catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    if (this.state === 'ready') await atMost(this.cmd?.del(keys.owner(this.owner)));
    await atMost(this.queue?.close());
    this.queueConnection?.disconnect();
    this.reader?.disconnect();
    this.cmd?.disconnect();
  }
}
