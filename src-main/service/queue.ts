/**
 * The run queue: runs wait in order and up to `concurrency` trainer processes run at once (memory
 * permitting). Every message a trainer sends is committed to the store before it is forwarded as
 * an event, so what the UI has seen is always on disk.
 */
import { freemem } from 'node:os';
import type { BackendChoice } from '../shared/backends.js';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerHandle, WorkerHost } from '../workers/host.js';
import { describeExit } from '../workers/host.js';
import type { TrainerMessage, TrainerRequest } from '../workers/protocol.js';
import type { RunStore } from '../store/runs.js';
import type { Events } from '../shared/contract.js';
import type { ModelSpec } from '../shared/spec.js';
import type { DatasetRef } from '../shared/dataset-ref.js';

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
}

export interface QueueOptions {
  home: string;
  store: RunStore;
  host: WorkerHost;
  emit: <E extends keyof Events>(event: E, payload: Events[E]) => void;
  concurrency: number;
  backend: BackendChoice;
  trainingPath: 'fast' | 'stock';
}

/** Memory one more trainer may need before we start it (the full Fashion-MNIST run peaks near 1 GiB). */
const MEMORY_PER_TRAINER = 1.2 * 2 ** 30;

export class RunQueue {
  private readonly pending: QueuedRun[] = [];
  private readonly active = new Map<string, Active>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly o: QueueOptions) {}

  set concurrency(n: number) { this.o.concurrency = n; this.pump(); }
  get concurrency(): number { return this.o.concurrency; }
  set trainingPath(p: 'fast' | 'stock') { this.o.trainingPath = p; }
  set backend(b: QueueOptions['backend']) { this.o.backend = b; }

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
    while (this.pending.length && this.active.size < this.o.concurrency) {
      if (this.active.size > 0 && freemem() < MEMORY_PER_TRAINER) break;
      this.launch(this.pending.shift()!);
    }
    if (!this.pending.length && !this.active.size) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private launch(job: QueuedRun): void {
    const worker = this.o.host.start('trainer');
    const a: Active = { job, worker, stopping: 'no', finished: false };
    this.active.set(job.runId, a);
    worker.onMessage((m) => this.onMessage(a, m as TrainerMessage));
    worker.onExit((info) => {
      this.active.delete(job.runId);
      if (!a.finished) {
        if (a.stopping === 'stop') this.finish(job.runId, 'stopped', null);
        else if (a.stopping === 'interrupt') this.finish(job.runId, 'interrupted', 'Layerlab was shut down during this run; completed epochs are kept');
        else if (info.interrupted) this.finish(job.runId, 'interrupted', info.interrupted);
        else this.finish(job.runId, 'failed', describeExit('trainer', info));
      }
      this.pump();
    });
    const modelDir = job.saveModel ? join(this.o.home, 'runs', job.runId, '.tmp-model') : undefined;
    const request: TrainerRequest = {
      type: 'train', runId: job.runId, spec: job.spec, dataset: job.dataset, home: this.o.home,
      limit: job.limit, backend: this.o.backend, path: this.o.trainingPath, modelDir, initFrom: job.initFrom,
    };
    worker.send(request);
  }

  private onMessage(a: Active, m: TrainerMessage): void {
    const { store, emit } = this.o;
    const runId = a.job.runId;
    if (a.finished || m.runId !== runId) return;
    try {
      switch (m.type) {
        case 'started':
          store.markRunning(runId, {
            backend: m.backend, trainCount: m.trainCount, valCount: m.valCount, device: m.device,
            notes: { skipped: m.skipped, ...(m.probe ? { probe: m.probe } : {}), ...(m.why ? { why: m.why } : {}) },
          });
          emit('runs:started', {
            runId, backend: m.backend, device: m.device, skipped: m.skipped, trainCount: m.trainCount, valCount: m.valCount, batches: m.batches, epochs: a.job.spec.training.epochs,
            ...(m.probe ? { probe: m.probe } : {}), ...(m.why ? { why: m.why } : {}),
          });
          break;
        case 'batch':
          emit('runs:batch', { runId, epoch: m.epoch, batch: m.batch, batches: m.batches, loss: m.loss, accuracy: m.accuracy });
          break;
        case 'epoch': {
          const { type: _t, runId: _r, ...epoch } = m;
          store.addEpoch(runId, epoch);
          emit('runs:epoch', { runId, ...epoch });
          break;
        }
        case 'marks':
          store.setMarks(runId, { stoppedEpoch: m.stoppedEpoch, bestEpoch: m.bestEpoch, modelEpoch: m.modelEpoch });
          break;
        case 'evaluation':
          store.setEvaluation(runId, m.evaluation);
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
          this.finish(runId, 'failed', m.error.message, m.error.name);
          a.finished = true;
          break;
      }
    } catch (err) {
      // The store refused what the trainer reported: end the run rather than keep half of it.
      a.finished = true;
      this.finish(runId, 'failed', `could not record the run: ${(err as Error).message}`);
      a.worker.kill();
    }
  }

  private finish(runId: string, status: 'completed' | 'stopped' | 'failed' | 'interrupted', error: string | null, errorName: string | null = error ? 'Error' : null): void {
    const { store, emit } = this.o;
    const current = store.getRun(runId);
    if (!current || ['completed', 'stopped', 'failed', 'interrupted'].includes(current.status)) return;
    store.finishRun(runId, status, error ?? undefined);
    const run = store.listRuns({}).find((r) => r.id === runId) ?? current;
    emit('runs:finished', { runId, status, error, errorName, run });
  }
}
