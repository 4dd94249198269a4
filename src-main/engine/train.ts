/**
 * The training loop. Our own seeded shuffle replaces fit's unseeded one; progress is reported
 * during the epoch and per epoch; a stop request is honoured between batches; a NaN or infinite
 * loss ends the run with a NonFiniteLossError. Each epoch runs on a hand-written step (the native
 * addon or tfjs ops, steppers.ts) or on the stock tf.LayersModel.fit, see epochs.ts. After each
 * epoch Keras' EarlyStopping and ModelCheckpoint run (callbacks.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { specFitError, type ModelSpec } from '../shared/spec.js';
import { message } from '../shared/messages.js';
import type { Dataset, RowsOfRun } from '../shared/dataset.js';
import { mulberry32, permutation, deriveSeed } from '../shared/random.js';
import { splitIndices } from '../shared/split.js';
import { NonFiniteLossError, UserError } from '../shared/errors.js';
import { buildCompiledModel } from './model.js';
import { evaluate, predictSplit, tfPredictor, type Evaluation } from './evaluate.js';
import { fastUnsupportedReason } from './fast-step.js';
import { runStepEpoch, runStockEpoch } from './epochs.js';
import { installWasmKernels } from './wasm-install.js';
import { EpochCallbacks, type CallbackOutcome } from './callbacks.js';
import { loadWeights, type SavedModelFiles } from './save.js';
import { makeStepper, readsAsync, type Stepper } from './steppers.js';
import { nativeUnsupportedReason } from './native/config.js';
import { nativeUnavailableReason } from './native/loader.js';
import type { NativeStepOptions } from './native/step.js';
import { computeLayerStats, computeLayerStatsAsync, makeProbe, probeRows, type Probe } from './layer-stats.js';
import { DEFAULT_PROBE_SIZE } from '../shared/layer-stats.js';
import type { EpochRecord } from '../shared/runs.js';

/**
 * Progress within an epoch. Stock path: every batch, that batch's loss and accuracy. Fast path:
 * about every 50 ms and at the last batch, the epoch's running means so far.
 */
export interface BatchProgress { epoch: number; batch: number; batches: number; loss: number; accuracy: number }

/** One completed epoch, as the store keeps it. */
export type EpochMetrics = EpochRecord;

export interface TrainHooks {
  onStart?(info: { trainCount: number; valCount: number; batches: number }): void;
  onBatch?(p: BatchProgress): void;
  /** Awaited: the caller may persist the epoch before training goes on. */
  onEpoch?(m: EpochMetrics): void | Promise<void>;
  shouldStop?(): boolean;
}

export interface TrainOutcome {
  status: 'completed' | 'stopped';
  model: tf.LayersModel;
  epochs: EpochMetrics[];
  trainCount: number;
  valCount: number;
  evaluation?: Evaluation;
  /** The training path that ran. */
  path: TrainPath;
  /** Why the path asked for did not run (native → fast → stock). */
  fallbackReason?: string;
  /** What the callbacks did (a completed run): where early stopping ended it, the best epoch, the epoch the model holds. */
  marks?: CallbackOutcome;
  /** Seconds the layer statistics took after each epoch (not in the epochs' `seconds`): the bench's figure. */
  layerSeconds: number[];
}

/** Checks that the model fits the dataset; a mismatch is the user's to fix, so it says how. */
export function checkCompatible(spec: ModelSpec, dataset: Dataset): void {
  const problem = specFitError(spec, dataset);
  if (problem) throw new UserError(problem);
}

/**
 * 'native': the addon's step (native/), the native rung's path. 'fast': our step in tfjs ops
 * (fast-step.ts). 'stock': tf.LayersModel.fit.
 */
export type TrainPath = 'native' | 'fast' | 'stock';

export interface TrainOptions {
  /** Keep only this many training samples (quick runs, tests). */
  limit?: number;
  hooks?: TrainHooks;
  /** Evaluate on the test split (or validation) at the end; default true. */
  evaluate?: boolean;
  /**
   * 'fast' (default) or 'native': our own training step for Dense stacks; a model it cannot train
   * falls back (native → fast → stock), and TrainOutcome.path says which ran and why.
   */
  path?: TrainPath;
  /** The native step's kernel table (tests); default the best the CPU runs. */
  native?: NativeStepOptions;
  /** Start from these saved weights (continued training) instead of fresh ones. */
  initialWeights?: SavedModelFiles;
}

/** The path that will run for `wanted`, and why another was asked for. */
function choosePath(wanted: TrainPath, spec: ModelSpec, model: tf.LayersModel): { path: TrainPath; fallbackReason?: string } {
  if (wanted === 'stock') return { path: 'stock' };
  const nativeReason = wanted === 'native' ? nativeUnsupportedReason(spec) ?? nativeUnavailableReason() : null;
  if (wanted === 'native' && !nativeReason) return { path: 'native' };
  const fastReason = fastUnsupportedReason(spec, model);
  if (!fastReason) return { path: 'fast', fallbackReason: nativeReason ?? undefined };
  return { path: 'stock', fallbackReason: nativeReason ? `${nativeReason}; ${fastReason}` : fastReason };
}

/** How many of the first test rows a run scores. */
function scoredTestRows(testCount: number, limit: number | undefined): number {
  return limit ? Math.min(testCount, Math.max(limit, 1000)) : testCount;
}

/**
 * The rows `train` reads for a run of `spec` on `limit` samples: its training and validation rows
 * and the test rows it scores, the same split train() makes. A dataset loaded with only these
 * (openDataset's `rows`) trains bit for bit as the whole one.
 */
export function rowsOfRun(spec: ModelSpec, limit: number): RowsOfRun {
  const { validationSplit, splitSeed } = spec.training;
  return {
    train: (count) => {
      const { train, val } = splitIndices(count, validationSplit, splitSeed, limit);
      const all = new Int32Array(train.length + val.length);
      all.set(train);
      all.set(val, train.length);
      return all;
    },
    test: (count) => scoredTestRows(count, limit),
  };
}

export async function train(spec: ModelSpec, dataset: Dataset, options: TrainOptions = {}): Promise<TrainOutcome> {
  checkCompatible(spec, dataset);
  const hooks = options.hooks ?? {};
  const { epochs, batchSize, validationSplit, seed, splitSeed } = spec.training;
  const { train: trainIdx, val: valIdx } = splitIndices(dataset.train.count, validationSplit, splitSeed, options.limit);
  if (trainIdx.length === 0) throw new UserError(`no training samples left after the validation split (${dataset.train.count} samples, validationSplit ${validationSplit})`);
  const batches = Math.ceil(trainIdx.length / batchSize);
  hooks.onStart?.({ trainCount: trainIdx.length, valCount: valIdx.length, batches });

  const planned = tf.getBackend() === 'wasm' && installWasmKernels();
  const model = buildCompiledModel(spec, seed);
  if (options.initialWeights) loadWeights(model, options.initialWeights);
  const { path, fallbackReason } = choosePath(options.path ?? 'fast', spec, model);
  const stepper: Stepper | null = path === 'stock' ? null : makeStepper(path, model, spec, dataset, seed, { planned, native: options.native });
  const predict = stepper?.predict ?? tfPredictor(model, spec.inputShape, dataset.scale);
  const shuffle = mulberry32(deriveSeed(seed, 1000));
  const callbacks = new EpochCallbacks(spec.training, model);
  const history: EpochMetrics[] = [];
  const layerSeconds: number[] = [];
  // A GPU backend's layer statistics are read asynchronously (webgpu's sync read goes through a canvas).
  const probeSize = spec.training.probeSize ?? DEFAULT_PROBE_SIZE;
  const asyncReads = readsAsync();
  const probe: Probe | null = probeSize > 0 ? makeProbe(dataset.train.x, dataset.train.y, probeRows(valIdx, trainIdx, probeSize), spec.inputShape, dataset.scale) : null;
  let status: TrainOutcome['status'] = 'completed';
  const { x, y } = dataset.train;

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const order = permutation(trainIdx.length, shuffle).map((i) => trainIdx[i]);
      const ctx = { epoch, batchSize, order, onBatch: hooks.onBatch, shouldStop: hooks.shouldStop };
      const r = stepper
        ? await runStepEpoch(stepper, ctx)
        : await runStockEpoch(model, { x, y, inputShape: spec.inputShape, scale: dataset.scale }, ctx);
      // The tf model holds the epoch's weights before anyone (a hook, a save) reads it.
      stepper?.sync();
      if (r.nonFinite) throw new NonFiniteLossError(message('train.nonFinite', { epoch, rate: spec.optimizer.learningRate }));
      if (r.stopped) { status = 'stopped'; break; }
      const v = valIdx.length
        ? await predictSplit(predict, x, y, valIdx, dataset.classNames.length)
        : { loss: NaN, accuracy: NaN };
      const m: EpochMetrics = {
        epoch, loss: r.loss, accuracy: r.accuracy, valLoss: v.loss, valAccuracy: v.accuracy,
        seconds: (performance.now() - started) / 1000,
        samplesPerSecond: trainIdx.length / r.seconds,
      };
      if (probe) {
        const t0 = performance.now();
        m.layers = asyncReads ? await computeLayerStatsAsync(model, spec, probe) : computeLayerStats(model, spec, probe);
        layerSeconds.push((performance.now() - t0) / 1000);
      }
      history.push(m);
      await hooks.onEpoch?.(m);
      if (hooks.shouldStop?.()) { status = 'stopped'; break; }
      if (callbacks.afterEpoch(m)) break;
    }
    const marks = status === 'completed' && history.length > 0 ? callbacks.finish(history.length) : undefined;
    // Restored weights live in the tf model only; the stepper still holds the last epoch's.
    const kept = marks && marks.modelEpoch !== history.length ? tfPredictor(model, spec.inputShape, dataset.scale) : predict;
    let evaluation: Evaluation | undefined;
    if (options.evaluate !== false && status === 'completed') {
      evaluation = dataset.test
        ? await evaluate(kept, dataset.test.x, dataset.test.y, rangeIndices(scoredTestRows(dataset.test.count, options.limit)), dataset.classNames, 'test')
        : await evaluate(kept, x, y, valIdx, dataset.classNames, 'validation');
    }
    return { status, model, epochs: history, trainCount: trainIdx.length, valCount: valIdx.length, evaluation, path, fallbackReason, marks, layerSeconds };
  } finally {
    callbacks.dispose();
    stepper?.dispose();
    probe?.dispose();
  }
}

function rangeIndices(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
