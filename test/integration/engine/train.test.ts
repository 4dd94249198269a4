/** train() on the fast path: hooks, stop, NaN guard, determinism, leaks, saving, real data. */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { train, type BatchProgress } from '../../../src-main/engine/train.js';
import { serializeModel } from '../../../src-main/engine/save.js';
import { ModelSpec, type ModelSpecInput } from '../../../src-main/shared/spec.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { NonFiniteLossError } from '../../../src-main/shared/errors.js';
import { locateIdxDataset, IDX_CATALOG, loadCatalogIdx } from '../../../src-main/data/catalog/idx-datasets.js';
import { blobs, maxAbsDiff, weightsOf } from './helpers.js';

const HOME = mkdtempSync(join(tmpdir(), 'layerlab-engine-'));
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

describe('train() fast path', () => {
  beforeAll(async () => { await selectBackend('auto'); });

  it('is the default, learns, and reports Keras-style epoch means', async () => {
    const batches: BatchProgress[] = [];
    const out = await train(blobSpec(), blobs(1000), { hooks: { onBatch: (p) => batches.push(p) } });
    expect(out.path).toBe('fast');
    expect(out.status).toBe('completed');
    expect(out.epochs).toHaveLength(3);
    expect(out.epochs[2].accuracy).toBeGreaterThan(0.9);
    expect(out.epochs[2].valAccuracy).toBeGreaterThan(0.9);
    expect(out.epochs[2].loss).toBeLessThan(out.epochs[0].loss);
    // The last report of each epoch is its last batch and carries the epoch's means.
    for (const m of out.epochs) {
      const last = batches.filter((b) => b.epoch === m.epoch).pop()!;
      expect(last.batch).toBe(last.batches);
      expect(last.loss).toBeCloseTo(m.loss, 10);
      expect(last.accuracy).toBeCloseTo(m.accuracy, 10);
    }
    out.model.dispose();
  });

  it('gives identical numbers for the same seed, and others for another', async () => {
    const a = await train(blobSpec(), blobs(800), { evaluate: false });
    const b = await train(blobSpec(), blobs(800), { evaluate: false });
    const c = await train(blobSpec({ training: { epochs: 3, batchSize: 32, validationSplit: 0.2, seed: 6, splitSeed: 42 } }), blobs(800), { evaluate: false });
    const strip = (o: typeof a) => o.epochs.map(({ seconds: _s, samplesPerSecond: _p, ...rest }) => rest);
    expect(strip(b)).toEqual(strip(a));
    expect(maxAbsDiff(weightsOf(b.model), weightsOf(a.model))).toBe(0);
    expect(maxAbsDiff(weightsOf(c.model), weightsOf(a.model))).toBeGreaterThan(0);
    for (const o of [a, b, c]) o.model.dispose();
  });

  it('keeps tf.memory().numTensors flat across epochs', async () => {
    const counts: number[] = [];
    const out = await train(blobSpec({ training: { epochs: 4, batchSize: 16, validationSplit: 0.2, seed: 1, splitSeed: 42 } }), blobs(500), {
      evaluate: false, hooks: { onEpoch: () => { counts.push(tf.memory().numTensors); } },
    });
    // Epoch 1 creates the optimizer's slots; after that nothing may accumulate.
    expect(counts[3]).toBe(counts[1]);
    expect(counts[2]).toBe(counts[1]);
    out.model.dispose();
  });

  it('stops between batches when asked', async () => {
    let asked = 0;
    const seen: number[] = [];
    const out = await train(blobSpec(), blobs(1000), {
      hooks: { onBatch: (p) => seen.push(p.batch), shouldStop: () => ++asked >= 7 },
    });
    expect(out.status).toBe('stopped');
    expect(asked).toBe(7);
    expect(out.epochs).toHaveLength(0);
    expect(out.evaluation).toBeUndefined();
    expect(Math.max(0, ...seen)).toBeLessThanOrEqual(7);
    out.model.dispose();
  });

  // Not the stock path: on wasm, tfjs' loss clips NaN probabilities into [ε, 1 − ε], so fit reports a finite loss.
  it('a non-finite loss ends the run with NonFiniteLossError', async () => {
    const run = train(blobSpec(), blobs(200, 20, 7, true));
    await expect(run).rejects.toBeInstanceOf(NonFiniteLossError);
    await expect(train(blobSpec(), blobs(200, 20, 7, true))).rejects.toThrow(/the loss became NaN or infinite in epoch 1: lower the learning rate \(now 0\.01\)/);
  });

  it('fast: sgd at learning rate 1e6 diverges to NonFiniteLossError', async () => {
    const spec = blobSpec({
      layers: [{ type: 'dense', units: 32, activation: 'linear' }, { type: 'dense', units: 10, activation: 'softmax' }],
      optimizer: { type: 'sgd', learningRate: 1e6 },
    });
    await expect(train(spec, blobs(1000), { path: 'fast' })).rejects.toThrow(/NaN or infinite in epoch 1: lower the learning rate \(now 1000000\)/);
  });

  it('falls back to stock, saying why, for a Dense on a rank-2 input', async () => {
    const spec = blobSpec({
      inputShape: [4, 5],
      layers: [{ type: 'dense', units: 3 }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }],
      training: { epochs: 1, batchSize: 32, validationSplit: 0.2, seed: 1, splitSeed: 42 },
    });
    const out = await train(spec, blobs(200), { evaluate: false });
    expect(out.path).toBe('stock');
    expect(out.fallbackReason).toMatch(/layer 0 is Dense on a rank-2 input/);
    out.model.dispose();
  });

  it('the stock path is still there on request and lands close to the fast one', async () => {
    const spec = blobSpec({ layers: [{ type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] });
    const fast = await train(spec, blobs(1000), { evaluate: false, path: 'fast' });
    const stock = await train(spec, blobs(1000), { evaluate: false, path: 'stock' });
    expect(stock.path).toBe('stock');
    for (let e = 0; e < 3; e++) {
      expect(Math.abs(fast.epochs[e].loss - stock.epochs[e].loss)).toBeLessThan(1e-3);
      expect(Math.abs(fast.epochs[e].valAccuracy - stock.epochs[e].valAccuracy)).toBeLessThan(0.01);
    }
    fast.model.dispose();
    stock.model.dispose();
  });

  it.skipIf(!haveFashion)('trains book-relu on 2,000 real Fashion-MNIST samples well above chance, and the model saves', async () => {
    const preset = findPreset('book-relu')!;
    const spec = { ...preset.spec, training: { ...preset.spec.training, epochs: 3 } };
    const out = await train(spec, loadCatalogIdx('fashion-mnist', HOME), { limit: 2000 });
    expect(out.path).toBe('fast');
    expect(out.trainCount).toBe(2000);
    expect(out.epochs[2].valAccuracy).toBeGreaterThan(0.7);
    expect(out.evaluation!.split).toBe('test');
    expect(out.evaluation!.accuracy).toBeGreaterThan(0.7);

    const files = await serializeModel(out.model);
    expect(files['weights.bin'].byteLength).toBe(out.model.countParams() * 4);
    const json = JSON.parse(new TextDecoder().decode(files['model.json'])) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
    const bytes = files['weights.bin'];
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    }));
    const x = tf.randomUniform([5, 28, 28], 0, 1, 'float32', 3);
    const want = (out.model.predict(x) as tf.Tensor).dataSync();
    const got = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(maxAbsDiff([got as Float32Array], [want as Float32Array])).toBeLessThan(1e-6);
    tf.dispose([x]);
    loaded.dispose();
    out.model.dispose();
  });
});
