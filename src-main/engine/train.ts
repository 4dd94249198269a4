/**
 * The training loop. Our own seeded shuffle replaces fit's unseeded one; progress is reported
 * during the epoch and per epoch; a stop request is honoured between batches; a NaN or infinite
 * loss ends the run with a NonFiniteLossError. Each epoch runs on the fast path (fast-step.ts) or
 * the stock one (tf.LayersModel.fit), see epochs.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { specFitError, type ModelSpec } from '../shared/spec.js';
import { featureSize, type Dataset } from '../shared/dataset.js';
import { mulberry32, permutation, deriveSeed } from '../shared/random.js';
import { splitIndices } from '../shared/split.js';
import { NonFiniteLossError, UserError } from '../shared/errors.js';
import { buildCompiledModel } from './model.js';
import { evaluate, predictSplit, type Evaluation } from './evaluate.js';
import { BatchBuilder } from './batches.js';
import { FastStep, fastUnsupportedReason } from './fast-step.js';
import { runFastEpoch, runStockEpoch } from './epochs.js';
import { installWasmMatMul } from './wasm-kernels.js';

/**
 * Progress within an epoch. Stock path: every batch, that batch's loss and accuracy. Fast path:
 * about every 50 ms and at the last batch, the epoch's running means so far.
 */
export interface BatchProgress { epoch: number; batch: number; batches: number; loss: number; accuracy: number }

export interface EpochMetrics {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** Wall time of the epoch, validation included. */
  seconds: number;
  /** Training samples per second (validation excluded). */
  samplesPerSecond: number;
}

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
  /** Why 'fast' was asked for but 'stock' ran. */
  fallbackReason?: string;
}

/** Checks that the model fits the dataset; a mismatch is the user's to fix, so it says how. */
export function checkCompatible(spec: ModelSpec, dataset: Dataset): void {
  const problem = specFitError(spec, dataset);
  if (problem) throw new UserError(problem);
}

export type TrainPath = 'fast' | 'stock';

export interface TrainOptions {
  /** Keep only this many training samples (quick runs, tests). */
  limit?: number;
  hooks?: TrainHooks;
  /** Evaluate on the test split (or validation) at the end; default true. */
  evaluate?: boolean;
  /**
   * 'fast' (default): our own training step for Dense stacks (fast-step.ts); models it cannot
   * train fall back to 'stock', and TrainOutcome.path says which ran. 'stock': tf.LayersModel.fit.
   */
  path?: TrainPath;
}

export async function train(spec: ModelSpec, dataset: Dataset, options: TrainOptions = {}): Promise<TrainOutcome> {
  checkCompatible(spec, dataset);
  const hooks = options.hooks ?? {};
  const { epochs, batchSize, validationSplit, seed, splitSeed } = spec.training;
  const { train: trainIdx, val: valIdx } = splitIndices(dataset.train.count, validationSplit, splitSeed, options.limit);
  if (trainIdx.length === 0) throw new UserError(`no training samples left after the validation split (${dataset.train.count} samples, validationSplit ${validationSplit})`);
  const batches = Math.ceil(trainIdx.length / batchSize);
  hooks.onStart?.({ trainCount: trainIdx.length, valCount: valIdx.length, batches });

  const planned = tf.getBackend() === 'wasm' && installWasmMatMul();
  const model = buildCompiledModel(spec, seed);
  const fallbackReason = options.path === 'stock' ? undefined : fastUnsupportedReason(spec, model) ?? undefined;
  const path: TrainPath = options.path === 'stock' || fallbackReason ? 'stock' : 'fast';
  const step = path === 'fast' ? new FastStep(model, spec, seed, { planned }) : null;
  const builder = step
    ? new BatchBuilder(dataset.train.x, dataset.train.y, featureSize(spec.inputShape), dataset.classNames.length, dataset.scale, step.inputLayout)
    : null;
  const shuffle = mulberry32(deriveSeed(seed, 1000));
  const history: EpochMetrics[] = [];
  let status: TrainOutcome['status'] = 'completed';
  const { x, y } = dataset.train;

  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const order = permutation(trainIdx.length, shuffle).map((i) => trainIdx[i]);
      const ctx = { epoch, batchSize, order, onBatch: hooks.onBatch, shouldStop: hooks.shouldStop };
      const r = step && builder
        ? await runFastEpoch(step, builder, ctx)
        : await runStockEpoch(model, { x, y, inputShape: spec.inputShape, scale: dataset.scale }, ctx);
      if (r.nonFinite) throw new NonFiniteLossError(`the loss became NaN or infinite in epoch ${epoch}: lower the learning rate (now ${spec.optimizer.learningRate}) or check the data for extreme values`);
      if (r.stopped) { status = 'stopped'; break; }
      const v = valIdx.length
        ? predictSplit(model, x, y, spec.inputShape, valIdx, dataset.scale, dataset.classNames.length)
        : { loss: NaN, accuracy: NaN };
      const m: EpochMetrics = {
        epoch, loss: r.loss, accuracy: r.accuracy, valLoss: v.loss, valAccuracy: v.accuracy,
        seconds: (performance.now() - started) / 1000,
        samplesPerSecond: trainIdx.length / r.seconds,
      };
      history.push(m);
      await hooks.onEpoch?.(m);
      if (hooks.shouldStop?.()) { status = 'stopped'; break; }
    }
  } finally {
    step?.dispose();
  }

  let evaluation: Evaluation | undefined;
  if (options.evaluate !== false && status === 'completed') {
    evaluation = dataset.test
      ? evaluate(model, dataset.test.x, dataset.test.y, spec.inputShape, rangeIndices(options.limit ? Math.min(dataset.test.count, Math.max(options.limit, 1000)) : dataset.test.count), dataset.scale, dataset.classNames, 'test')
      : evaluate(model, x, y, spec.inputShape, valIdx, dataset.scale, dataset.classNames, 'validation');
  }
  return { status, model, epochs: history, trainCount: trainIdx.length, valCount: valIdx.length, evaluation, path, fallbackReason };
}

function rangeIndices(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
