/**
 * A run's saved model, used again: scored on its dataset's test split in a trainer process
 * (`runs:evaluate`), or named as the start of a continued run (`runs:start` with continueFrom).
 */
import { regionsFile } from './queue.js';
import { join } from 'node:path';
import { UserError, type ErrorInfo } from '../shared/errors.js';
import { message } from '../shared/messages.js';
import type { BackendChoice } from '../shared/backends.js';
import { toDatasetRef } from '../shared/dataset-ref.js';
import type { RunDetail } from '../shared/runs.js';
import type { ModelSpec } from '../shared/spec.js';
import { describeLayers } from '../shared/summary.js';
import { describeExit, type WorkerHost } from '../workers/host.js';
import type { TrainerMessage, TrainerRequest } from '../workers/protocol.js';
import type { RunStore } from '../store/runs.js';
import type { PredictResult } from '../shared/predict.js';

/** The folder of a run's saved model. @throws UserError when the run kept none */
export function savedModelDir(home: string, run: RunDetail): string {
  const file = run.artifacts.find((a) => a.kind === 'model' && a.path.endsWith('/weights.bin'));
  if (!file) {
    throw new UserError(message('run.noModel', { id: run.id }));
  }
  return join(home, ...file.path.split('/').slice(0, -1));
}

/** Why `spec` cannot start from `source`'s weights (another stack or input), or null. */
export function continueMismatch(source: RunDetail, spec: ModelSpec): string | null {
  const was = describeLayers(source.spec);
  const now = describeLayers(spec);
  if (was === now) return null;
  return `run ${source.id}'s model is ${was}; the model to continue must be the same stack, not ${now}`;
}

type JobOptions = { home: string; host: WorkerHost; backend: BackendChoice };
type SavedModelRequest = Extract<TrainerRequest, { type: 'evaluate' | 'predict' }>;
type Common = Pick<SavedModelRequest, 'runId' | 'spec' | 'dataset' | 'home' | 'backend' | 'modelDir'>;

/**
 * One job on a run's saved model in a trainer process: `onMessage` sees the run's messages, and
 * `answer` gives the result on 'done'. An 'error' message, a throw of either, or the process's exit
 * before 'done' rejects, once.
 */
function savedModelJob<T>(o: JobOptions, run: RunDetail, request: (common: Common) => SavedModelRequest,
  onMessage: (m: TrainerMessage) => void, answer: () => T): Promise<T> {
  const modelDir = savedModelDir(o.home, run);
  const dataset = toDatasetRef(run.datasetId);
  if ('problem' in dataset) throw new UserError(`run ${run.id}'s dataset: ${dataset.problem}`);
  const worker = o.host.start('trainer');
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => { if (!settled) { settled = true; f(); } };
    const fail = (e: ErrorInfo) => settle(() => reject(Object.assign(new Error(e.message), { name: e.name })));
    worker.onMessage((raw) => {
      const m = raw as TrainerMessage;
      if (m.runId !== run.id) return;
      try {
        if (m.type === 'done') { const r = answer(); settle(() => resolve(r)); }
        else if (m.type === 'error') fail(m.error);
        else onMessage(m);
      } catch (err) {
        fail({ name: (err as Error).name, message: (err as Error).message });
      }
    });
    worker.onExit((info) => fail({ name: 'Error', message: describeExit('trainer', info) }));
    worker.send(request({ runId: run.id, spec: run.spec, dataset, home: o.home, backend: o.backend, modelDir }));
  });
}

/** Scores a run's saved model in a trainer process and records the evaluation (it replaces the old one). */
export function evaluateRun(o: JobOptions & { store: RunStore }, run: RunDetail): Promise<RunDetail> {
  return savedModelJob(o, run, (c) => ({ type: 'evaluate', ...c, limit: run.limit ?? undefined }), (m) => {
    if (m.type === 'evaluation') o.store.setEvaluation(run.id, m.evaluation);
    else if (m.type === 'regions') o.store.saveArtifact(run.id, 'regions', [regionsFile(m.regions)]);
  }, () => o.store.getRun(run.id)!);
}

/** A run's saved model on image files and test samples (by index), in a trainer process (`runs:predict`). */
export function predictRun(o: JobOptions, run: RunDetail, images: { source: string; path: string }[], samples: number[] = [], maps = false): Promise<PredictResult> {
  let result: PredictResult | null = null;
  return savedModelJob(o, run, (c) => ({ type: 'predict', ...c, images, samples, maps }), (m) => {
    if (m.type === 'predictions') result = { runId: run.id, classNames: m.classNames, results: m.results, ...(m.filters !== undefined ? { filters: m.filters } : {}) };
  }, () => {
    if (!result) throw new Error('the trainer ended without its predictions');
    return result;
  });
}
