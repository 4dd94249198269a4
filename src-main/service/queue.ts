/**
 * The run queue: runs wait in order and up to `concurrency` trainer processes run at once (memory
 * permitting). Every message a trainer sends is committed to the store before it is forwarded as
 * an event, so what the UI has seen is always on disk.
 */
import type { DecisionRegions } from '../shared/regions.js';
import { freemem } from 'node:os';
import type { BackendChoice } from '../shared/backends.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { trace } from '../workers/trace.js';
import type { WorkerHandle, WorkerHost } from '../workers/host.js';
import { describeExit, type ExitInfo } from '../workers/host.js';
import { databasePath } from '../store/db.js';
import type { TrainerMessage, TrainerRequest } from '../workers/protocol.js';
import type { RunStore } from '../store/runs.js';
import type { RunSummary } from '../shared/runs.js';
import type { Events } from '../shared/contract.js';
import type { ModelSpec } from '../shared/spec.js';
import type { DatasetRef } from '../shared/dataset-ref.js';
import { isMessageCode, type Message } from '../shared/messages.js';

export interface QueuedRun {
  runId: string;
  spec: ModelSpec;
  dataset: DatasetRef;
  limit?: number;
  saveModel: boolean;
  /** Folder of the saved model to start from (continued training). */
  initFrom?: string;
}

interface Active {
  job: QueuedRun;
  worker: WorkerHandle;
  /** What ending the process means if it ends before saying `done`. */
  stopping: 'no' | 'stop' | 'interrupt';
  finished: boolean;
  /** Messages not yet committed, in order: the store was busy (another process held the lock). */
  backlog: TrainerMessage[];
  /** Store attempts made for the first message of the backlog. */
  attempts: number;
  /** How the process ended, when it ended while messages still waited for the store. */
  exited?: ExitInfo;
}

/** After the store's own busy timeout (5 s), tries again this often before giving up on a run. */
const BUSY_RETRIES = 12;
const BUSY_RETRY_MS = 1000;

/** The kind of store failure: a lock another process holds (worth waiting for), a full disk, or else. */
function storeFault(err: unknown): 'busy' | 'full' | 'other' {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || /SQLITE_IOERR/.test(code)) return 'full';
  return 'other';
}

export interface QueueOptions {
  home: string;
  store: RunStore;
  host: WorkerHost;
  emit: <E extends keyof Events>(event: E, payload: Events[E]) => void;
  concurrency: number;
  backend: BackendChoice;
  trainingPath: 'fast' | 'stock';
  /** `auto` measures again before each run instead of reusing the probe cache. */
  reprobe: boolean;
}

/** Memory one more trainer may need before we start it (the full Fashion-MNIST run peaks near 1 GiB). */
const MEMORY_PER_TRAINER = 1.2 * 2 ** 30;

/** The 'regions' artifact's one file. */
export function regionsFile(regions: DecisionRegions): { name: string; bytes: Uint8Array } {
  return { name: 'regions.json', bytes: Buffer.from(JSON.stringify(regions)) };
}

export class RunQueue {
  private readonly pending: QueuedRun[] = [];
  private readonly active = new Map<string, Active>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: QueueOptions) {}

  set concurrency(n: number) { this.o.concurrency = n; this.pump(); }
  get concurrency(): number { return this.o.concurrency; }
  set trainingPath(p: 'fast' | 'stock') { this.o.trainingPath = p; }
  set backend(b: QueueOptions['backend']) { this.o.backend = b; }
  set reprobe(r: boolean) { this.o.reprobe = r; }

  enqueue(job: QueuedRun): void {
    this.pending.push(job);
    this.pump();
  }

  isActive(runId: string): boolean { return this.active.has(runId); }

  /** Stops a queued or running run. Returns false when the run is neither. */
  async stop(runId: string, how: 'stop' | 'interrupt' = 'stop'): Promise<boolean> {
    const i = this.pending.findIndex((j) => j.runId === runId);
    if (i >= 0) {
      this.pending.splice(i, 1);
      this.finish(runId, how === 'stop' ? 'stopped' : 'interrupted', how === 'stop' ? null : 'Layerlab stopped before this run started');
      return true;
    }
    const a = this.active.get(runId);
    if (!a) return false;
    a.stopping = how;
    await a.worker.stop(how === 'stop' ? 10_000 : 2_000);
    return true;
  }

  /** Stops everything: queued runs and running ones. */
  async stopAll(how: 'stop' | 'interrupt'): Promise<void> {
    for (const job of this.pending.splice(0)) {
      this.finish(job.runId, how === 'stop' ? 'stopped' : 'interrupted', how === 'stop' ? null : 'Layerlab stopped before this run started');
    }
    await Promise.all([...this.active.keys()].map((id) => this.stop(id, how)));
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.pending.length && !this.active.size) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    // Trainers on other machines (a Redis queue): every run goes out at once; the workers pace them.
    const remote = this.o.host.remote === true;
    while (this.pending.length && (remote || this.active.size < this.o.concurrency)) {
      if (!remote && this.active.size > 0 && freemem() < MEMORY_PER_TRAINER) break;
      this.launch(this.pending.shift()!);
    }
    if (!this.pending.length && !this.active.size) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private launch(job: QueuedRun): void {
    trace('service: launching a trainer');
    const worker = this.o.host.start('trainer');
    const a: Active = { job, worker, stopping: 'no', finished: false, backlog: [], attempts: 0 };
    this.active.set(job.runId, a);
    worker.onMessage((m) => {
      a.backlog.push(m as TrainerMessage);
      if (a.backlog.length === 1) this.drain(a);
    });
    worker.onExit((info) => {
      // Messages still waiting for the store are committed first: the exit is judged after them.
      if (a.backlog.length > 0) a.exited = info;
      else this.exited(a, info);
    });
    const modelDir = job.saveModel ? join(this.o.home, 'runs', job.runId, '.tmp-model') : undefined;
    const request: TrainerRequest = {
      type: 'train', runId: job.runId, spec: job.spec, dataset: job.dataset, home: this.o.home,
      limit: job.limit, backend: this.o.backend, path: this.o.trainingPath, modelDir, initFrom: job.initFrom,
      ...(this.o.reprobe ? { reprobe: true } : {}),
    };
    worker.send(request);
  }

  private exited(a: Active, info: ExitInfo): void {
    const runId = a.job.runId;
    this.active.delete(runId);
    // Handed back before it started (its queue was replaced): first in line again, still queued.
    if (info.requeue && !a.finished && a.stopping === 'no') {
      this.pending.unshift(a.job);
      this.pump();
      return;
    }
    if (!a.finished) {
      if (a.stopping === 'stop') this.finish(runId, 'stopped', null);
      else if (a.stopping === 'interrupt') this.finish(runId, 'interrupted', 'Layerlab was shut down during this run; completed epochs are kept');
      else if (info.interrupted) this.finish(runId, 'interrupted', info.interrupted);
      else this.finish(runId, 'failed', describeExit('trainer', info));
    }
    this.pump();
  }

  /**
   * Commits the trainer's messages in order. When the database is locked by another process past
   * its busy timeout, waits and tries the same message again (a run whose epochs all finished is
   * never failed for a lock); a full disk or a lock that outlasts every retry ends the run as
   * `interrupted`, its committed epochs kept, the trainer stopped.
   */
  private drain(a: Active): void {
    while (a.backlog.length > 0) {
      const m = a.backlog[0];
      let outcome: 'ok' | 'busy' | 'gave-up';
      try {
        this.onMessage(a, m);
        outcome = 'ok';
      } catch (err) {
        const fault = storeFault(err);
        if (fault === 'busy' && a.attempts < BUSY_RETRIES) {
          outcome = 'busy';
        } else {
          outcome = 'gave-up';
          this.abandon(a, fault, err);
        }
      }
      if (outcome === 'busy') {
        a.attempts++;
        setTimeout(() => this.drain(a), BUSY_RETRY_MS);
        return;
      }
      a.attempts = 0;
      a.backlog.shift();
      if (outcome === 'gave-up') a.backlog.length = 0;
    }
    if (a.exited) this.exited(a, a.exited);
  }

  /** Ends a run the store could not record: one line saying why, the epochs already committed kept. */
  private abandon(a: Active, fault: 'busy' | 'full' | 'other', err: unknown): void {
    a.finished = true;
    a.worker.kill();
    const db = databasePath(this.o.home);
    const why = fault === 'full' ? `the disk is full (${db}): free some space; the epochs recorded before it filled are kept`
      : fault === 'busy' ? `${db} stayed locked by another program; the epochs recorded before are kept`
      : `could not record the run: ${(err as Error).message}`;
    this.finish(a.job.runId, fault === 'other' ? 'failed' : 'interrupted', why);
  }

  private onMessage(a: Active, m: TrainerMessage): void {
    const { store, emit } = this.o;
    const runId = a.job.runId;
    if (a.finished || m.runId !== runId) return;
    {
      switch (m.type) {
        case 'started':
          trace('service: trainer started the run');
          if (!store.markRunning(runId, {
            backend: m.backend, trainCount: m.trainCount, valCount: m.valCount, device: m.device,
            notes: {
              skipped: m.skipped.map(({ name, reason }) => ({ name, reason })), ...(m.probe ? { probe: m.probe } : {}), ...(m.why ? { why: m.why } : {}),
              ...(m.measuredAt ? { measuredAt: m.measuredAt } : {}), ...(m.cached ? { cached: m.cached } : {}), ...(m.adapter ? { adapter: m.adapter } : {}),
            },
            ...(m.attempt !== undefined ? { attempt: m.attempt } : {}), ...(m.worker ? { worker: m.worker } : {}), ...(m.lostWhy ? { lostWhy: m.lostWhy } : {}),
          })) break;
          emit('runs:started', {
            runId, backend: m.backend, device: m.device, skipped: m.skipped, trainCount: m.trainCount, valCount: m.valCount, batches: m.batches, epochs: a.job.spec.training.epochs,
            ...(m.probe ? { probe: m.probe } : {}), ...(m.why ? { why: m.why } : {}),
            ...(m.measuredAt ? { measuredAt: m.measuredAt } : {}), ...(m.cached ? { cached: m.cached } : {}),
            ...(m.worker ? { worker: m.worker } : {}), ...(m.attempt !== undefined ? { attempt: m.attempt } : {}),
          });
          break;
        case 'batch':
          emit('runs:batch', { runId, epoch: m.epoch, batch: m.batch, batches: m.batches, loss: m.loss, accuracy: m.accuracy });
          break;
        case 'epoch': {
          const { type: _t, runId: _r, attempt, ...epoch } = m;
          // A repeated report (a queue worker's) is recorded once and shown once.
          if (store.addEpoch(runId, epoch, attempt)) emit('runs:epoch', { runId, ...epoch });
          break;
        }
        case 'marks':
          store.setMarks(runId, { stoppedEpoch: m.stoppedEpoch, bestEpoch: m.bestEpoch, modelEpoch: m.modelEpoch });
          break;
        case 'evaluation':
          store.setEvaluation(runId, m.evaluation);
          break;
        case 'regions':
          store.saveArtifact(runId, 'regions', [regionsFile(m.regions)]);
          break;
        case 'model': {
          const files = m.files.map((name) => ({ name, bytes: readFileSync(join(m.dir, name)) }));
          store.saveArtifact(runId, 'model', files);
          rmSync(m.dir, { recursive: true, force: true });
          break;
        }
        case 'done':
          this.finish(runId, a.stopping === 'interrupt' ? 'interrupted' : m.status, null);
          a.finished = true;
          break;
        case 'error':
          this.finish(runId, 'failed', m.error.message, m.error.name, m.error.coded && isMessageCode(m.error.coded.code) ? m.error.coded : undefined);
          a.finished = true;
          break;
      }
    }
  }

  /** Final statuses the store could not take yet (a full disk, a lock), retried every 2 s. */
  private readonly unrecorded = new Map<string, { status: 'completed' | 'stopped' | 'failed' | 'interrupted'; error: string | null }>();
  private retryTimer: NodeJS.Timeout | undefined;

  private recordLater(runId: string, status: 'completed' | 'stopped' | 'failed' | 'interrupted', error: string | null): void {
    this.unrecorded.set(runId, { status, error });
    this.retryTimer ??= setInterval(() => this.recordPending(), 2000);
    this.retryTimer.unref();
  }

  /** Tries again to record the ends the store refused; called by the timer and when the service closes. */
  recordPending(): void {
    for (const [runId, end] of this.unrecorded) {
      try {
        const current = this.o.store.getRun(runId);
        if (current && (current.status === 'running' || current.status === 'queued')) this.o.store.finishRun(runId, end.status, end.error ?? undefined);
        this.unrecorded.delete(runId);
      } catch {
        // Still refused: next time.
      }
    }
    if (this.unrecorded.size === 0 && this.retryTimer) {
      clearInterval(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  /**
   * Records a run's end and tells the faces. Never throws: when the store cannot take even this (a
   * full disk, a lock), the faces are told anyway and the row, still `running` under this process's
   * pid, becomes `interrupted` with its epochs at the next start (recoverInterrupted).
   */
  private finish(runId: string, status: 'completed' | 'stopped' | 'failed' | 'interrupted', error: string | null, errorName: string | null = error ? 'Error' : null, errorCoded?: Message): void {
    const { store, emit } = this.o;
    let current;
    try {
      current = store.getRun(runId);
    } catch {
      current = null;
    }
    if (current && ['completed', 'stopped', 'failed', 'interrupted'].includes(current.status)) return;
    let run: RunSummary | null = current;
    if (current) {
      try {
        store.finishRun(runId, status, error ?? undefined);
        run = store.listRuns({}).find((r) => r.id === runId) ?? current;
      } catch {
        // Told anyway; recorded as soon as the store takes it (or at the next start, see above).
        run = { ...current, status, error };
        this.recordLater(runId, status, error);
      }
    }
    if (run) emit('runs:finished', { runId, status, error, errorName, ...(errorCoded ? { errorCoded } : {}), run });
  }
}
