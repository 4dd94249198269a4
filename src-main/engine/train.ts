/**
 * The training loop (stock path: tf.LayersModel.fit one epoch at a time). Our own seeded shuffle
 * replaces fit's unseeded one; progress is reported per batch and per epoch; a stop request is
 * honoured between batches; a NaN or infinite loss ends the run with a NonFiniteLossError.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../shared/spec.js';
import { featureSize, type Dataset } from '../shared/dataset.js';
import { mulberry32, permutation, deriveSeed } from '../shared/random.js';
import { splitIndices } from '../shared/split.js';
import { NonFiniteLossError, UserError } from '../shared/errors.js';
import { buildCompiledModel } from './model.js';
import { gatherRows, gatherLabels } from './tensors.js';
import { evaluate, predictSplit, type Evaluation } from './evaluate.js';

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
}

/** Checks that the model fits the dataset; a mismatch is the user's to fix, so it says how. */
export function checkCompatible(spec: ModelSpec, dataset: Dataset): void {
  const want = featureSize(spec.inputShape);
  const have = featureSize(dataset.featureShape);
  if (want !== have) {
    throw new UserError(`the model's input shape [${spec.inputShape.join(', ')}] (${want} values) does not fit ${dataset.name}'s samples [${dataset.featureShape.join(', ')}] (${have} values): set inputShape to [${dataset.featureShape.join(', ')}]`);
  }
  const last = spec.layers[spec.layers.length - 1];
  const k = dataset.classNames.length;
  if (last.type === 'dense' && last.units !== k) {
    throw new UserError(`the output layer has ${last.units} units but ${dataset.name} has ${k} classes: set the last Dense layer's units to ${k}`);
  }
}

export async function train(spec: ModelSpec, dataset: Dataset, options: { limit?: number; hooks?: TrainHooks; evaluate?: boolean } = {}): Promise<TrainOutcome> {
  checkCompatible(spec, dataset);
  const hooks = options.hooks ?? {};
  const { epochs, batchSize, validationSplit, seed, splitSeed } = spec.training;
  const { train: trainIdx, val: valIdx } = splitIndices(dataset.train.count, validationSplit, splitSeed, options.limit);
  if (trainIdx.length === 0) throw new UserError(`no training samples left after the validation split (${dataset.train.count} samples, validationSplit ${validationSplit})`);
  const rowSize = featureSize(spec.inputShape);
  const batches = Math.ceil(trainIdx.length / batchSize);
  hooks.onStart?.({ trainCount: trainIdx.length, valCount: valIdx.length, batches });

  const model = buildCompiledModel(spec, seed);
  const shuffle = mulberry32(deriveSeed(seed, 1000));
  const history: EpochMetrics[] = [];
  let status: TrainOutcome['status'] = 'completed';
  const { x, y } = dataset.train;

  for (let epoch = 1; epoch <= epochs && status === 'completed'; epoch++) {
    const started = performance.now();
    const order = permutation(trainIdx.length, shuffle).map((i) => trainIdx[i]);
    const xs = tf.tensor(gatherRows(x, rowSize, order, dataset.scale), [order.length, ...spec.inputShape]);
    const ys = tf.tensor1d(gatherLabels(y, order), 'float32');
    let nonFinite = false;
    let stopped = false;
    let fitSeconds = 0;
    try {
      const fitStarted = performance.now();
      const h = await model.fit(xs, ys, {
        epochs: 1, batchSize, shuffle: false, verbose: 0, yieldEvery: 'never',
        callbacks: {
          onBatchEnd: async (batch, logs) => {
            const loss = logs?.loss ?? NaN;
            if (!Number.isFinite(loss)) { nonFinite = true; model.stopTraining = true; return; }
            hooks.onBatch?.({ epoch, batch: batch + 1, batches, loss, accuracy: logs?.acc ?? NaN });
            if (hooks.shouldStop?.()) { stopped = true; model.stopTraining = true; }
          },
        },
      });
      fitSeconds = (performance.now() - fitStarted) / 1000;
      if (nonFinite) throw new NonFiniteLossError(`the loss became NaN or infinite in epoch ${epoch}: lower the learning rate (now ${spec.optimizer.learningRate}) or check the data for extreme values`);
      if (stopped) { status = 'stopped'; break; }
      const loss = h.history.loss[0] as number;
      const accuracy = h.history.acc[0] as number;
      const v = valIdx.length
        ? predictSplit(model, x, y, spec.inputShape, valIdx, dataset.scale, dataset.classNames.length)
        : { loss: NaN, accuracy: NaN };
      const m: EpochMetrics = {
        epoch, loss, accuracy, valLoss: v.loss, valAccuracy: v.accuracy,
        seconds: (performance.now() - started) / 1000,
        samplesPerSecond: trainIdx.length / fitSeconds,
      };
      history.push(m);
      await hooks.onEpoch?.(m);
      if (hooks.shouldStop?.()) status = 'stopped';
    } finally {
      xs.dispose();
      ys.dispose();
    }
  }

  let evaluation: Evaluation | undefined;
  if (options.evaluate !== false && status === 'completed') {
    evaluation = dataset.test
      ? evaluate(model, dataset.test.x, dataset.test.y, spec.inputShape, rangeIndices(options.limit ? Math.min(dataset.test.count, Math.max(options.limit, 1000)) : dataset.test.count), dataset.scale, dataset.classNames, 'test')
      : evaluate(model, x, y, spec.inputShape, valIdx, dataset.scale, dataset.classNames, 'validation');
  }
  return { status, model, epochs: history, trainCount: trainIdx.length, valCount: valIdx.length, evaluation };
}

function rangeIndices(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
