/**
 * The native step (the addon of native/) against tfjs: one step of model.fit (trainOnBatch, cpu
 * backend: plain float32 JavaScript) from the same weights and batch, for every optimizer and on
 * every kernel table this CPU runs (AVX-512, AVX2 + FMA, the portable floor); dropout against the
 * fast step, whose mask stream the addon reproduces. Same tolerance as the fast step's test: one
 * step moves weights by ~1e-3 (adaptive optimizers) to ~1e-2 (sgd); the paths differ in rounding.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildCompiledModel } from '../../../src-main/engine/model.js';
import { FastStep } from '../../../src-main/engine/fast-step.js';
import { BatchBuilder } from '../../../src-main/engine/batches.js';
import { NativeStep } from '../../../src-main/engine/native/step.js';
import { loadNative } from '../../../src-main/engine/native/loader.js';
import { ACTIVATIONS, ModelSpec, type ModelSpecInput } from '../../../src-main/shared/spec.js';
import { blobs, maxAbsDiff, weightsOf } from './helpers.js';

const TOLERANCE = 2e-6;
const FEATURES = 40;
const BATCH = 48;
const KERNELS = loadNative().info().supported.split(' ');

const OPTIMIZERS: Array<[string, ModelSpecInput['optimizer']]> = [
  ['sgd', { type: 'sgd', learningRate: 0.01 }],
  ['momentum', { type: 'sgd', learningRate: 0.01, momentum: 0.9 }],
  ['nesterov', { type: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true }],
  ['adagrad', { type: 'adagrad' }],
  ['adadelta', { type: 'adadelta', learningRate: 1 }],
  ['rmsprop', { type: 'rmsprop' }],
  // Not centered against tfjs: tfjs 4.22's centered RMSprop takes sqrt(ms − mg² − ε) (see below).
  ['rmsprop with momentum', { type: 'rmsprop', momentum: 0.5 }],
  ['adam', { type: 'adam' }],
  ['adamax', { type: 'adamax' }],
];

function spec(optimizer: ModelSpecInput['optimizer'], layers?: ModelSpecInput['layers'], batchSize = BATCH): ModelSpec {
  return ModelSpec.parse({
    inputShape: [FEATURES],
    layers: layers ?? [{ type: 'dense', units: 24, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
    optimizer,
    training: { batchSize },
  });
}

const data = blobs(BATCH * 3, FEATURES);
const order = Int32Array.from({ length: BATCH * 3 }, (_, i) => i);

function nativeWeights(s: ModelSpec, kernels: string, steps: number, batch = BATCH): Float32Array[] {
  const model = buildCompiledModel(s, 3);
  const step = new NativeStep(model, s, 3, { inputSize: FEATURES, classes: 10 }, { kernels });
  step.useData(data.train.x, data.train.y, 1);
  for (let i = 0; i < steps; i++) step.run(order, i * batch, batch);
  step.writeBack();
  step.dispose();
  const w = weightsOf(model);
  model.dispose();
  return w;
}

/** Weights after `steps` trainOnBatch calls, and the initial ones. */
async function stockWeights(s: ModelSpec, steps: number): Promise<{ after: Float32Array[]; initial: Float32Array[] }> {
  const model = buildCompiledModel(s, 3);
  const initial = weightsOf(model).map((w) => w.slice());
  for (let i = 0; i < steps; i++) {
    const x = tf.tensor2d(data.train.x.subarray(i * BATCH * FEATURES, (i + 1) * BATCH * FEATURES), [BATCH, FEATURES]);
    const y = tf.tensor1d(Float32Array.from(data.train.y.subarray(i * BATCH, (i + 1) * BATCH)));
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
  }
  const after = weightsOf(model).map((w) => w.slice());
  model.dispose();
  return { after, initial };
}

function fastWeights(s: ModelSpec, steps: number): Float32Array[] {
  const model = buildCompiledModel(s, 3);
  const step = new FastStep(model, s, 3, { planned: false });
  const builder = new BatchBuilder(data.train.x, data.train.y, FEATURES, 10, 1, step.inputLayout);
  for (let i = 0; i < steps; i++) step.run(builder.fill(order, i * BATCH, BATCH));
  step.dispose();
  const w = weightsOf(model).map((a) => a.slice());
  model.dispose();
  return w;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe.each(KERNELS)('native step on %s kernels vs tfjs', (kernels) => {
  it.each(OPTIMIZERS)('%s: one step gives the same weights as model.fit', async (_name, optimizer) => {
    const s = spec(optimizer);
    const { after, initial } = await stockWeights(s, 1);
    expect(maxAbsDiff(after, initial)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(nativeWeights(s, kernels, 1), after)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('three steps of adam and of adadelta stay with model.fit (optimizer state carried the same way)', async () => {
    for (const optimizer of [{ type: 'adam' }, { type: 'adadelta', learningRate: 1 }] as const) {
      const s = spec(optimizer);
      const { after } = await stockWeights(s, 3);
      expect(maxAbsDiff(nativeWeights(s, kernels, 3), after)).toBeLessThanOrEqual(3 * TOLERANCE);
    }
  });

  it('centered RMSprop follows Keras as the fast step does (tfjs 4.22 would give NaN)', () => {
    const s = spec({ type: 'rmsprop', centered: true, momentum: 0.3 });
    const fast = fastWeights(s, 2);
    expect(fast.every((w) => w.every(Number.isFinite))).toBe(true);
    expect(maxAbsDiff(nativeWeights(s, kernels, 2), fast)).toBeLessThanOrEqual(2 * TOLERANCE);
  });

  it('dropout draws the fast step\'s masks (same weights after two steps)', () => {
    const s = spec({ type: 'adam' }, [
      { type: 'dropout', rate: 0.25 },
      { type: 'dense', units: 24, activation: 'relu' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    const fast = fastWeights(s, 2);
    const native = nativeWeights(s, kernels, 2);
    expect(maxAbsDiff(native, fast)).toBeLessThanOrEqual(2 * TOLERANCE);
    // Different masks would move the weights apart by the size of a step.
    const otherSeed = buildCompiledModel(s, 3);
    const other = new NativeStep(otherSeed, { ...s, layers: [...s.layers] }, 4, { inputSize: FEATURES, classes: 10 }, { kernels });
    other.useData(data.train.x, data.train.y, 1);
    other.run(order, 0, BATCH);
    other.run(order, BATCH, BATCH);
    other.writeBack();
    other.dispose();
    expect(maxAbsDiff(weightsOf(otherSeed), fast)).toBeGreaterThan(1e-4);
    otherSeed.dispose();
  });

  it.each(ACTIVATIONS)('%s: forward and backward match model.fit', async (activation) => {
    // The activation in the first layer, where its derivative shapes the largest update, and once
    // more as a sigmoid-free output so the clipped cross-entropy's gradient runs through it too.
    const hidden = spec({ type: 'sgd', learningRate: 0.5 }, [
      { type: 'dense', units: 37, activation }, { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    // Outputs that are not probabilities make the loss steep: a smaller step keeps rounding small.
    const output = spec({ type: 'sgd', learningRate: 0.01 }, [
      { type: 'dense', units: 16, activation: 'tanh', useBias: false }, { type: 'dense', units: 10, activation },
    ]);
    for (const s of activation === 'softmax' ? [hidden] : [hidden, output]) {
      const { after, initial } = await stockWeights(s, 1);
      expect(maxAbsDiff(after.slice(0, 1), initial.slice(0, 1))).toBeGreaterThan(1e-4);
      expect(maxAbsDiff(nativeWeights(s, kernels, 1), after)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('a last batch smaller than the rest, and odd widths, match model.fit', async () => {
    const s = spec({ type: 'rmsprop' }, [{ type: 'dense', units: 33, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }], 7);
    const model = buildCompiledModel(s, 3);
    const x = tf.tensor2d(data.train.x.subarray(0, 7 * FEATURES), [7, FEATURES]);
    const y = tf.tensor1d(Float32Array.from(data.train.y.subarray(0, 7)));
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
    expect(maxAbsDiff(nativeWeights(s, kernels, 1, 7), weightsOf(model))).toBeLessThanOrEqual(TOLERANCE);
    model.dispose();
  });
});

describe('native step', () => {
  it('predicts what the tf model predicts from the same weights', () => {
    const s = spec({ type: 'adam' });
    const model = buildCompiledModel(s, 3);
    const step = new NativeStep(model, s, 3, { inputSize: FEATURES, classes: 10 });
    step.useData(data.train.x, data.train.y, 1);
    step.run(order, 0, BATCH);
    step.writeBack();
    const rows = Int32Array.from({ length: 300 }, (_, i) => (i * 7) % (BATCH * 3));
    const native = step.predict(rows, 10);
    const tfProbs = tf.tidy(() => {
      const xs = tf.tensor2d(Float32Array.from(Array.from(rows).flatMap((r) => Array.from(data.train.x.subarray(r * FEATURES, (r + 1) * FEATURES)))), [rows.length, FEATURES]);
      return (model.predict(xs) as tf.Tensor).dataSync() as Float32Array;
    });
    expect(maxAbsDiff([native], [tfProbs])).toBeLessThanOrEqual(1e-6);
    step.dispose();
    model.dispose();
  });

  it('refuses what it cannot do with a sentence, not a crash', () => {
    const s = spec({ type: 'adam' });
    const model = buildCompiledModel(s, 3);
    const step = new NativeStep(model, s, 3, { inputSize: FEATURES, classes: 10 });
    step.useData(data.train.x, data.train.y, 1);
    expect(() => step.run(Int32Array.of(0, 1, 100000), 0, 3)).toThrow(/row index outside the dataset/);
    expect(() => step.run(order, order.length - 2, 5)).toThrow(/runs past the order/);
    expect(() => step.useData(data.train.x.subarray(0, 10), data.train.y, 1)).toThrow(/one row of the model's input size per label/);
    expect(() => new NativeStep(model, s, 3, { inputSize: FEATURES, classes: 10 }, { kernels: 'avx9000' })).toThrow(/cannot run the 'avx9000' kernels/);
    step.dispose();
    model.dispose();
  });
});
