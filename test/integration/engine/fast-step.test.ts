/**
 * One step of the fast path against one step of model.fit (trainOnBatch) from the same initial
 * weights and batch, on wasm (feature-major products through the replaced kernels) and cpu.
 * Tolerance: every updated weight within 2e-6 of stock's (one step moves weights by ~1e-3 for the
 * adaptive optimizers, ~1e-2 for sgd; the paths differ only in float32 rounding).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { buildCompiledModel } from '../../../src-main/engine/model.js';
import { FastStep } from '../../../src-main/engine/fast-step.js';
import { BatchBuilder } from '../../../src-main/engine/batches.js';
import { installWasmMatMul } from '../../../src-main/engine/wasm-kernels.js';
import { ModelSpec, type ModelSpecInput } from '../../../src-main/shared/spec.js';
import { blobs, maxAbsDiff, weightsOf } from './helpers.js';

const TOLERANCE = 2e-6;
const FEATURES = 40;
const BATCH = 48;

const OPTIMIZERS: Array<[string, ModelSpecInput['optimizer']]> = [
  ['sgd', { type: 'sgd', learningRate: 0.01 }],
  ['momentum', { type: 'sgd', learningRate: 0.01, momentum: 0.9 }],
  ['nesterov', { type: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true }],
  ['adagrad', { type: 'adagrad' }],
  ['adadelta', { type: 'adadelta', learningRate: 1 }],
  ['rmsprop', { type: 'rmsprop' }],
  // Not centered: tfjs 4.22's centered RMSprop takes sqrt(ms − mg² − ε), NaN wherever a gradient is 0.
  ['rmsprop with momentum', { type: 'rmsprop', momentum: 0.5 }],
  ['adam', { type: 'adam' }],
  ['adamax', { type: 'adamax' }],
];

function spec(optimizer: ModelSpecInput['optimizer'], layers?: ModelSpecInput['layers']): ModelSpec {
  return ModelSpec.parse({
    inputShape: [FEATURES],
    layers: layers ?? [{ type: 'dense', units: 24, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
    optimizer,
    training: { batchSize: BATCH },
  });
}

/** Weights after `steps` steps of each path from the same seed. */
async function compare(s: ModelSpec, steps = 1): Promise<{ diff: number; moved: number }> {
  const data = blobs(BATCH * steps, FEATURES);
  const order = Int32Array.from({ length: BATCH * steps }, (_, i) => i);
  const stock = buildCompiledModel(s, 3);
  const fast = buildCompiledModel(s, 3);
  const initial = weightsOf(stock);
  const planned = tf.getBackend() === 'wasm' && installWasmMatMul();
  const step = new FastStep(fast, s, 3, { planned });
  const builder = new BatchBuilder(data.train.x, data.train.y, FEATURES, 10, 1, step.inputLayout);
  for (let i = 0; i < steps; i++) {
    const x = tf.tensor2d(data.train.x.subarray(i * BATCH * FEATURES, (i + 1) * BATCH * FEATURES), [BATCH, FEATURES]);
    const y = tf.tensor1d(Float32Array.from(data.train.y.subarray(i * BATCH, (i + 1) * BATCH)));
    await stock.trainOnBatch(x, y);
    x.dispose();
    y.dispose();
    step.run(builder.fill(order, i * BATCH, BATCH));
  }
  const after = weightsOf(stock);
  const result = { diff: maxAbsDiff(weightsOf(fast), after), moved: maxAbsDiff(after, initial) };
  stock.dispose();
  fast.dispose();
  return result;
}

describe.each(['wasm', 'cpu'])('fast step vs model.fit on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });

  it.each(OPTIMIZERS)('%s: one step gives the same weights', async (_name, optimizer) => {
    const { diff, moved } = await compare(spec(optimizer));
    expect(moved).toBeGreaterThan(1e-4);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('three steps of adam stay together (optimizer state is shared the same way)', async () => {
    const { diff, moved } = await compare(spec({ type: 'adam' }), 3);
    expect(moved).toBeGreaterThan(1e-4);
    expect(diff).toBeLessThanOrEqual(3 * TOLERANCE);
  });

  it('every activation, no-bias layers and a non-softmax output match', async () => {
    const layers: ModelSpecInput['layers'] = [
      { type: 'dense', units: 16, activation: 'sigmoid' },
      { type: 'dense', units: 16, activation: 'tanh', useBias: false },
      { type: 'dense', units: 12, activation: 'elu' },
      { type: 'dense', units: 12, activation: 'gelu' },
      { type: 'dense', units: 12, activation: 'softmax' },
      { type: 'dense', units: 10, activation: 'sigmoid' },
    ];
    const { diff, moved } = await compare(spec({ type: 'sgd', learningRate: 0.5 }, layers));
    expect(moved).toBeGreaterThan(1e-4);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('fast step layouts', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installWasmMatMul();
  });

  it('feature-major and row-major inputs give the same step, dropout masks included', () => {
    const s = spec({ type: 'adam' }, [
      { type: 'dropout', rate: 0.25 },
      { type: 'dense', units: 24, activation: 'relu' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]);
    const data = blobs(BATCH * 2, FEATURES);
    const order = Int32Array.from({ length: BATCH * 2 }, (_, i) => i);
    const run = (planned: boolean) => {
      const model = buildCompiledModel(s, 3);
      const step = new FastStep(model, s, 3, { planned });
      const builder = new BatchBuilder(data.train.x, data.train.y, FEATURES, 10, 1, step.inputLayout);
      for (let i = 0; i < 2; i++) step.run(builder.fill(order, i * BATCH, BATCH));
      const w = weightsOf(model);
      step.dispose();
      model.dispose();
      return w;
    };
    const col = run(true);
    const row = run(false);
    expect(maxAbsDiff(col, row)).toBeLessThanOrEqual(TOLERANCE);
  });
});
