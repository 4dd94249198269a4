/** train() on the native path: the epoch loop, hooks, stop, NaN guard, determinism, fallbacks, real data. */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { train, type BatchProgress } from '../../../src-main/engine/train.js';
import { tfPredictor } from '../../../src-main/engine/evaluate.js';
import { ModelSpec, type ModelSpecInput } from '../../../src-main/shared/spec.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { NonFiniteLossError } from '../../../src-main/shared/errors.js';
import { locateIdxDataset, IDX_CATALOG, loadCatalogIdx } from '../../../src-main/data/catalog/idx-datasets.js';
import { blobs, maxAbsDiff, weightsOf } from './helpers.js';

const HOME = mkdtempSync(join(tmpdir(), 'layerlab-native-'));
const haveFashion = locateIdxDataset(IDX_CATALOG[0], HOME) !== null;

function blobSpec(over: Partial<ModelSpecInput> = {}): ModelSpec {
  return ModelSpec.parse({
    inputShape: [20],
    layers: [
      { type: 'dense', units: 32, activation: 'relu' },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    optimizer: { type: 'adam', learningRate: 0.01 },
    training: { epochs: 3, batchSize: 32, validationSplit: 0.2, seed: 5 },
    ...over,
  });
}

const strip = (o: Awaited<ReturnType<typeof train>>) => o.epochs.map(({ seconds: _s, samplesPerSecond: _p, ...rest }) => rest);

describe('train() native path', () => {
  beforeAll(async () => {
    const b = await selectBackend('native');
    expect(b.name).toBe('native');
  });

  it('learns, reports Keras-style epoch means, and leaves the trained weights in the tf model', async () => {
    const batches: BatchProgress[] = [];
    const data = blobs(1000);
    const out = await train(blobSpec(), data, { path: 'native', hooks: { onBatch: (p) => batches.push(p) } });
    expect(out.path).toBe('native');
    expect(out.fallbackReason).toBeUndefined();
    expect(out.epochs[2].accuracy).toBeGreaterThan(0.9);
    expect(out.epochs[2].valAccuracy).toBeGreaterThan(0.9);
    for (const m of out.epochs) {
      const last = batches.filter((b) => b.epoch === m.epoch).pop()!;
      expect(last.batch).toBe(last.batches);
      expect(last.loss).toBeCloseTo(m.loss, 10);
    }
    // The evaluation ran natively; the tf model, given the weights back, agrees with it.
    const all = Int32Array.from({ length: 1000 }, (_, i) => i);
    const probs = await tfPredictor(out.model, [20], 1)(data.train.x, all);
    let correct = 0;
    for (let r = 0; r < 1000; r++) {
      const row = probs.subarray(r * 10, r * 10 + 10);
      if (row.indexOf(Math.max(...row)) === data.train.y[r]) correct++;
    }
    expect(out.evaluation!.split).toBe('validation');
    expect(correct / 1000).toBeGreaterThan(0.9);
    out.model.dispose();
  });

  it('gives identical numbers for the same seed, others for another, and lands where the fast path lands', async () => {
    const a = await train(blobSpec(), blobs(800), { evaluate: false, path: 'native' });
    const b = await train(blobSpec(), blobs(800), { evaluate: false, path: 'native' });
    const c = await train(blobSpec({ training: { epochs: 3, batchSize: 32, validationSplit: 0.2, seed: 6, splitSeed: 42 } }), blobs(800), { evaluate: false, path: 'native' });
    const fast = await train(blobSpec(), blobs(800), { evaluate: false, path: 'fast' });
    expect(strip(b)).toEqual(strip(a));
    expect(maxAbsDiff(weightsOf(b.model), weightsOf(a.model))).toBe(0);
    expect(maxAbsDiff(weightsOf(c.model), weightsOf(a.model))).toBeGreaterThan(0);
    // Same seed, same masks, same batches: only float32 rounding separates the two engines.
    for (let e = 0; e < 3; e++) {
      expect(Math.abs(a.epochs[e].loss - fast.epochs[e].loss)).toBeLessThan(1e-4);
      expect(Math.abs(a.epochs[e].valLoss - fast.epochs[e].valLoss)).toBeLessThan(1e-4);
      expect(Math.abs(a.epochs[e].valAccuracy - fast.epochs[e].valAccuracy)).toBeLessThanOrEqual(1 / 160);
    }
    expect(maxAbsDiff(weightsOf(a.model), weightsOf(fast.model))).toBeLessThan(1e-3);
    for (const o of [a, b, c, fast]) o.model.dispose();
  });

  it('every kernel table trains to the same numbers, up to rounding', async () => {
    const runs = [];
    for (const kernels of ['avx512', 'avx2', 'base']) {
      try {
        runs.push(await train(blobSpec(), blobs(600), { evaluate: false, path: 'native', native: { kernels } }));
      } catch (err) {
        // A CPU without AVX-512 (or AVX2) cannot run that table: the error says so.
        expect((err as Error).message).toMatch(/this CPU cannot run the/);
      }
    }
    expect(runs.length).toBeGreaterThan(0);
    for (const r of runs.slice(1)) expect(Math.abs(r.epochs[2].loss - runs[0].epochs[2].loss)).toBeLessThan(1e-4);
    for (const r of runs) r.model.dispose();
  });

  it('stops between batches when asked', async () => {
    let asked = 0;
    const out = await train(blobSpec(), blobs(1000), { path: 'native', hooks: { shouldStop: () => ++asked >= 7 } });
    expect(out.status).toBe('stopped');
    expect(out.epochs).toHaveLength(0);
    expect(out.evaluation).toBeUndefined();
    out.model.dispose();
  });

  it('a non-finite loss ends the run with NonFiniteLossError', async () => {
    await expect(train(blobSpec(), blobs(200, 20, 7, true), { path: 'native' })).rejects.toBeInstanceOf(NonFiniteLossError);
    const diverging = blobSpec({
      layers: [{ type: 'dense', units: 32, activation: 'linear' }, { type: 'dense', units: 10, activation: 'softmax' }],
      optimizer: { type: 'sgd', learningRate: 1e6 },
    });
    await expect(train(diverging, blobs(1000), { path: 'native' })).rejects.toThrow(/NaN or infinite in epoch 1: lower the learning rate \(now 1000000\)/);
  });

  it('a model its step cannot train goes to the next path, saying why', async () => {
    const spec = blobSpec({
      inputShape: [4, 5],
      layers: [{ type: 'dense', units: 3 }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }],
      training: { epochs: 1, batchSize: 32, validationSplit: 0.2, seed: 1, splitSeed: 42 },
    });
    const out = await train(spec, blobs(200), { evaluate: false, path: 'native' });
    expect(out.path).toBe('stock');
    expect(out.fallbackReason).toMatch(/^layer 0 is Dense on a rank-2 input.*; layer 0 is Dense on a rank-2 input/);
    out.model.dispose();
  });

  it.skipIf(!haveFashion)('trains book-relu on 3,000 real Fashion-MNIST samples as the fast path does', async () => {
    const preset = findPreset('book-relu')!;
    const spec = { ...preset.spec, training: { ...preset.spec.training, epochs: 2 } };
    const dataset = loadCatalogIdx('fashion-mnist', HOME);
    const native = await train(spec, dataset, { limit: 3000, path: 'native' });
    const fast = await train(spec, dataset, { limit: 3000, path: 'fast' });
    expect(native.path).toBe('native');
    expect(native.epochs[1].valAccuracy).toBeGreaterThan(0.7);
    expect(native.evaluation!.split).toBe('test');
    expect(Math.abs(native.evaluation!.accuracy - fast.evaluation!.accuracy)).toBeLessThan(0.01);
    for (let e = 0; e < 2; e++) expect(Math.abs(native.epochs[e].valLoss - fast.epochs[e].valLoss)).toBeLessThan(1e-3);
    const x = tf.randomUniform([5, 28, 28], 0, 1, 'float32', 3);
    expect(maxAbsDiff([(native.model.predict(x) as tf.Tensor).dataSync() as Float32Array], [(fast.model.predict(x) as tf.Tensor).dataSync() as Float32Array])).toBeLessThan(1e-3);
    tf.dispose(x);
    native.model.dispose();
    fast.model.dispose();
  });
});
