/**
 * Convolutional networks train on the wasm backend: one step equals the cpu backend's step, the
 * stock path learns real Fashion-MNIST with the same numbers for the same seed, and dropout draws
 * a new mask each step.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { buildModel } from '../../../src-main/engine/model.js';
import { train } from '../../../src-main/engine/train.js';
import { ModelSpec } from '../../../src-main/shared/spec.js';
import { locateIdxDataset, IDX_CATALOG, loadCatalogIdx } from '../../../src-main/data/catalog/idx-datasets.js';
import { mulberry32 } from '../../../src-main/shared/random.js';
import { maxAbsDiff, weightsOf } from './helpers.js';

const HOME = mkdtempSync(join(tmpdir(), 'layerlab-conv-'));
const haveFashion = locateIdxDataset(IDX_CATALOG[0], HOME) !== null;

/** The book's CNN, smaller (8 and 16 filters), for quick tests. */
function smallCnn(dropout: number, epochs = 2): ModelSpec {
  return ModelSpec.parse({
    inputShape: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', padding: 'same' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu', padding: 'same' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 32, activation: 'relu' },
      ...(dropout > 0 ? [{ type: 'dropout', rate: dropout }] : []),
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    optimizer: { type: 'adam' },
    training: { epochs, batchSize: 32, seed: 3 },
  });
}

/** One fit step of `spec` on a fixed batch on `backend`; the weights after it. */
async function oneStep(backend: string, spec: ModelSpec): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const model = buildModel(spec);
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
  const rand = mulberry32(11);
  const x = tf.tensor4d(Float32Array.from({ length: 16 * 784 }, () => rand()), [16, 28, 28, 1]);
  const y = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10), 'float32');
  await model.trainOnBatch(x, y);
  const w = weightsOf(model).map((a) => a.slice());
  tf.dispose([x, y]);
  model.dispose();
  return w;
}

describe('convolutional networks on wasm', () => {
  beforeAll(async () => {
    const b = await selectBackend('wasm');
    expect(b.name).toBe('wasm');
  });

  it('take the same step as on the cpu backend', async () => {
    const spec = smallCnn(0);
    const cpu = await oneStep('cpu', spec);
    const wasm = await oneStep('wasm', spec);
    expect(wasm.map((w) => w.length)).toEqual(cpu.map((w) => w.length));
    // The step moved the weights (0.1 · gradient), and both backends moved them alike.
    const init = (await (async () => { await tf.setBackend('wasm'); const m = buildModel(spec); const w = weightsOf(m).map((a) => a.slice()); m.dispose(); return w; })());
    expect(maxAbsDiff(wasm, init)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(wasm, cpu)).toBeLessThan(1e-5);
  });

  it('draws a new dropout mask every step, the same ones for the same seed', async () => {
    await tf.setBackend('wasm');
    const masks = (seed: number) => {
      const model = buildModel(ModelSpec.parse({ inputShape: [50], layers: [{ type: 'dropout', rate: 0.5 }, { type: 'dense', units: 2 }] }), seed);
      const ones = tf.ones([1, 50]);
      const out = [0, 1].map(() => tf.tidy(() => Array.from((model.layers[0].apply(ones, { training: true }) as tf.Tensor).dataSync())));
      ones.dispose();
      model.dispose();
      return out;
    };
    const [a1, a2] = masks(4);
    expect(a1).not.toEqual(a2);
    expect(a1.filter((v) => v === 0).length).toBeGreaterThan(10);
    expect(masks(4)).toEqual([a1, a2]);
  });

  it.skipIf(!haveFashion)('train on real Fashion-MNIST on the stock path, and the same seed gives the same numbers', async () => {
    await tf.setBackend('wasm');
    const data = loadCatalogIdx('fashion-mnist', HOME);
    const run = async () => {
      const out = await train(smallCnn(0.3), data, { limit: 640, evaluate: false });
      out.model.dispose();
      return out;
    };
    const a = await run();
    expect(a.path).toBe('stock');
    expect(a.fallbackReason).toMatch(/Conv2D/);
    expect(a.epochs[1].valAccuracy).toBeGreaterThan(0.5);
    expect(a.epochs[1].loss).toBeLessThan(a.epochs[0].loss);
    const b = await run();
    expect(b.epochs.map((e) => [e.loss, e.valLoss])).toEqual(a.epochs.map((e) => [e.loss, e.valLoss]));
  });
});
