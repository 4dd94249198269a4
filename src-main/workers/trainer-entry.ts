/**
 * The trainer process: loads the dataset, trains one run with TensorFlow.js, and reports typed
 * messages. It writes nothing to the database; the service commits what it reports.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend, warmBackend } from '../engine/backend.js';
import { rowsOfRun, train } from '../engine/train.js';
import { serializeModel, type SavedModelFiles } from '../engine/save.js';
import { evaluateSaved } from '../engine/evaluate-saved.js';
import { predictImages } from '../engine/predict.js';
import { probeTraining } from '../engine/probe.js';
import { openDataset } from '../data/open.js';
import { tfPredictor } from '../engine/evaluate.js';
import { runRegions } from '../engine/regions.js';
import { isTwoFeature, type DecisionRegions } from '../shared/regions.js';
import { toErrorInfo, UserError } from '../shared/errors.js';
import { exitWithParent, onParentMessage, sendToParent } from './parent-port.js';
import type { TrainerMessage, TrainerRequest } from './protocol.js';
import { trace } from './trace.js';

trace('trainer: modules imported');

/** Batch progress is sent at most this often; epochs always. */
const BATCH_INTERVAL_MS = 100;

let stopRequested = false;
let busy = false;
const send = (m: TrainerMessage) => sendToParent(m);

async function run(req: Extract<TrainerRequest, { type: 'train' }>): Promise<void> {
  const { runId } = req;
  try {
    trace('trainer: train request received');
    const backend = await selectBackend(req.backend, { spec: req.spec, path: req.path });
    trace(`trainer: backend ${backend.name} selected`);
    // A --limit run reads only its own rows of a catalog dataset (most of Fashion-MNIST stays on disk).
    const dataset = openDataset(req.home, req.dataset, req.limit !== undefined ? rowsOfRun(req.spec, req.limit) : undefined);
    trace(`trainer: dataset opened${dataset.partial ? ' (the run\'s rows only)' : ''}`);
    let lastBatch = 0;
    const outcome = await train(req.spec, dataset, {
      limit: req.limit,
      initialWeights: req.initFrom ? readSavedModel(req.initFrom) : undefined,
      // The native rung trains with the addon; its ladder check already knows the model fits it.
      path: backend.name === 'native' ? 'native' : req.path,
      hooks: {
        onStart: (info) => (trace('trainer: training starts'), send({ type: 'started', runId, backend: backend.name, device: backend.device, skipped: backend.skipped, ...info })),
        onBatch: (p) => {
          const now = performance.now();
          if (now - lastBatch < BATCH_INTERVAL_MS && p.batch !== p.batches) return;
          lastBatch = now;
          send({ type: 'batch', runId, ...p });
        },
        onEpoch: (m) => (trace(`trainer: epoch ${m.epoch} done`), send({ type: 'epoch', runId, ...m })),
        shouldStop: () => stopRequested,
      },
    });
    if (outcome.marks) send({ type: 'marks', runId, ...outcome.marks });
    if (outcome.evaluation) send({ type: 'evaluation', runId, evaluation: outcome.evaluation });
    // A 2-feature set: the kept model's decision regions, as TensorFlow Playground shows them.
    if (isTwoFeature(dataset.featureShape) && outcome.epochs.length > 0) {
      send({ type: 'regions', runId, regions: await runRegions(tfPredictor(outcome.model, req.spec.inputShape, dataset.scale), req.spec, dataset, req.limit) });
    }
    if (req.modelDir && outcome.status === 'completed') {
      const files = await serializeModel(outcome.model);
      mkdirSync(req.modelDir, { recursive: true });
      for (const [name, bytes] of Object.entries(files)) writeFileSync(join(req.modelDir, name), bytes);
      send({ type: 'model', runId, dir: req.modelDir, files: Object.keys(files) });
    }
    outcome.model.dispose();
    send({ type: 'done', runId, status: outcome.status });
  } catch (err) {
    send({ type: 'error', runId, error: toErrorInfo(err) });
  }
}

/** model.json and weights.bin of a saved model's folder. */
function readSavedModel(dir: string): SavedModelFiles {
  try {
    return { 'model.json': readFileSync(join(dir, 'model.json')), 'weights.bin': readFileSync(join(dir, 'weights.bin')) };
  } catch (err) {
    throw new UserError(`${dir}: the saved model cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

async function probe(req: Extract<TrainerRequest, { type: 'probe' }>): Promise<void> {
  const { runId } = req;
  try {
    trace('trainer: probe request received');
    const backend = await selectBackend(req.backend, { spec: req.spec, path: req.path });
    trace(`trainer: backend ${backend.name} selected`);
    const p = await probeTraining(req.spec, openDataset(req.home, req.dataset), req.steps, backend.name === 'native' ? 'native' : req.path);
    send({ type: 'probe', runId, backend: backend.name, samplesPerSecond: p.samplesPerSecond, steps: p.steps, device: backend.device });
    send({ type: 'done', runId, status: 'completed' });
  } catch (err) {
    send({ type: 'error', runId, error: toErrorInfo(err) });
  }
}

async function evaluateModel(req: Extract<TrainerRequest, { type: 'evaluate' }>): Promise<void> {
  const { runId } = req;
  try {
    await selectBackend(req.backend, { spec: req.spec, path: 'stock' });
    const dataset = openDataset(req.home, req.dataset);
    let regions: DecisionRegions | undefined;
    const evaluation = await evaluateSaved(req.spec, dataset, readSavedModel(req.modelDir), req.limit, async (predict) => {
      if (isTwoFeature(dataset.featureShape)) regions = await runRegions(predict, req.spec, dataset, req.limit);
    });
    send({ type: 'evaluation', runId, evaluation });
    if (regions) send({ type: 'regions', runId, regions });
    send({ type: 'done', runId, status: 'completed' });
  } catch (err) {
    send({ type: 'error', runId, error: toErrorInfo(err) });
  }
}

async function predictModel(req: Extract<TrainerRequest, { type: 'predict' }>): Promise<void> {
  const { runId } = req;
  try {
    await selectBackend(req.backend, { spec: req.spec, path: 'stock' });
    const dataset = openDataset(req.home, req.dataset);
    const { results, filters } = await predictImages(req.spec, dataset, readSavedModel(req.modelDir), { images: req.images, samples: req.samples, maps: req.maps });
    send({ type: 'predictions', runId, classNames: dataset.classNames, results, ...(filters !== undefined ? { filters } : {}) });
    send({ type: 'done', runId, status: 'completed' });
  } catch (err) {
    send({ type: 'error', runId, error: toErrorInfo(err) });
  }
}

exitWithParent();
// The backend loads while the service is still getting the run ready (or, for a trainer the CLI
// started ahead, still loading itself): every request waits for it.
const warm = warmBackend().then(() => trace('trainer: backend warmed'));
onParentMessage((raw) => {
  const msg = raw as TrainerRequest;
  if (msg?.type === 'stop') {
    stopRequested = true;
    // Nothing to finish between batches when idle: leave at once.
    if (!busy) process.exit(0);
  } else if ((msg?.type === 'train' || msg?.type === 'evaluate' || msg?.type === 'probe' || msg?.type === 'predict') && !busy) {
    busy = true;
    void warm.then(() => msg.type === 'train' ? run(msg) : msg.type === 'probe' ? probe(msg) : msg.type === 'evaluate' ? evaluateModel(msg) : predictModel(msg)).finally(() => {
      busy = false;
      // One run per process: memory is returned to the system and the next run starts clean.
      setTimeout(() => process.exit(0), 50);
    });
  }
});
