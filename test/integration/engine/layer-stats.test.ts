/**
 * Layer statistics from train(): equal to an independent computation (a plain float64 forward
 * and backward pass in JS over the model's own weights), recorded on every training path, ReLU's
 * zeros and sigmoid's saturation, and the deep sigmoid preset's vanishing gradient on real data.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { train, type TrainPath } from '../../../src-main/engine/train.js';
import { ModelSpec, type ModelSpecInput } from '../../../src-main/shared/spec.js';
import { splitIndices } from '../../../src-main/shared/split.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import type { Dataset } from '../../../src-main/shared/dataset.js';
import type { LayerStat } from '../../../src-main/shared/layer-stats.js';
import { gradientReading, readingText } from '../../../src-main/shared/layer-readings.js';
import { locateIdxDataset, IDX_CATALOG, loadCatalogIdx } from '../../../src-main/data/catalog/idx-datasets.js';
import { blobs } from './helpers.js';

const HOME = mkdtempSync(join(tmpdir(), 'layerlab-stats-'));
const haveFashion = locateIdxDataset(IDX_CATALOG[0], HOME) !== null;

const SPEC: ModelSpecInput = {
  inputShape: [20],
  layers: [
    { type: 'dense', units: 16, activation: 'relu' },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 12, activation: 'sigmoid' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
  optimizer: { type: 'adam', learningRate: 0.05 },
  training: { epochs: 1, batchSize: 32, validationSplit: 0.25, seed: 3, probeSize: 100 },
};

type Act = 'relu' | 'sigmoid' | 'softmax';

/**
 * The reference: activations and the gradient norms of the mean cross-entropy of a Dense stack,
 * forward and backward by hand in float64 (weights read from the model, rows × units layout).
 */
function reference(model: tf.LayersModel, acts: Act[], data: Dataset, rows: Int32Array) {
  const w = model.getWeights().map((t) => Array.from(t.dataSync()));
  const dims = model.getWeights().filter((_, i) => i % 2 === 0).map((t) => t.shape as number[]);
  const n = rows.length;
  const f = data.featureShape[0];
  let a: number[][] = Array.from(rows, (r) => Array.from(data.train.x.subarray(r * f, (r + 1) * f), (v) => v * data.scale));
  const inputs: number[][][] = [];
  const outs: number[][][] = [];
  acts.forEach((act, l) => {
    const [fin, fout] = dims[l];
    const W = w[2 * l];
    const b = w[2 * l + 1];
    inputs.push(a);
    a = a.map((x) => {
      const z = Array.from({ length: fout }, (_, j) => { let s = b[j]; for (let i = 0; i < fin; i++) s += x[i] * W[i * fout + j]; return s; });
      if (act === 'relu') return z.map((v) => Math.max(0, v));
      if (act === 'sigmoid') return z.map((v) => 1 / (1 + Math.exp(-v)));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((p, q) => p + q, 0);
      return e.map((v) => v / s);
    });
    outs.push(a);
  });
  // Backward: d(mean loss)/dz of the softmax layer is (p - onehot) / n.
  let delta = a.map((p, r) => p.map((v, j) => (v - (j === data.train.y[rows[r]] ? 1 : 0)) / n));
  const gradNorms: number[] = new Array(acts.length);
  for (let l = acts.length - 1; l >= 0; l--) {
    const [fin, fout] = dims[l];
    const W = w[2 * l];
    let sq = 0;
    for (let i = 0; i < fin; i++) for (let j = 0; j < fout; j++) { let g = 0; for (let r = 0; r < n; r++) g += inputs[l][r][i] * delta[r][j]; sq += g * g; }
    for (let j = 0; j < fout; j++) { let g = 0; for (let r = 0; r < n; r++) g += delta[r][j]; sq += g * g; }
    gradNorms[l] = Math.sqrt(sq);
    if (l > 0) {
      const prev = outs[l - 1];
      delta = delta.map((d, r) => Array.from({ length: fin }, (_, i) => {
        let s = 0;
        for (let j = 0; j < fout; j++) s += d[j] * W[i * fout + j];
        const y = prev[r][i];
        return s * (acts[l - 1] === 'relu' ? (y > 0 ? 1 : 0) : y * (1 - y));
      }));
    }
  }
  const weightNorms = acts.map((_, l) => Math.sqrt([...w[2 * l], ...w[2 * l + 1]].reduce((s, v) => s + v * v, 0)));
  return { outs, gradNorms, weightNorms };
}

describe('layer statistics', () => {
  beforeAll(async () => { await selectBackend('auto'); });

  it('equal an independent float64 computation on the same weights and the same probe rows', async () => {
    const data = blobs(600);
    const spec = ModelSpec.parse(SPEC);
    const out = await train(spec, data, { evaluate: false });
    const stats = out.epochs[0].layers!;
    // Dropout passes values through at inference: no statistics of its own.
    expect(stats.map((s) => s.index)).toEqual([0, 2, 3]);
    const rows = splitIndices(data.train.count, 0.25, spec.training.splitSeed).val.slice(0, 100);
    const ref = reference(out.model, ['relu', 'sigmoid', 'softmax'], data, rows);
    stats.forEach((s, l) => {
      const v = ref.outs[l].flat();
      const mean = v.reduce((p, q) => p + q, 0) / v.length;
      const sd = Math.sqrt(v.reduce((p, q) => p + (q - mean) ** 2, 0) / v.length);
      expect(s.count).toBe(v.length);
      expect(s.mean).toBeCloseTo(mean, 5);
      expect(s.sd).toBeCloseTo(sd, 5);
      expect(s.zeros).toBeCloseTo(v.filter((x) => x === 0).length / v.length, 2);
      if (s.activation === 'relu') expect(s.saturated).toBeNull();
      else expect(s.saturated!).toBeCloseTo(v.filter((x) => x < 0.01 || x > 0.99).length / v.length, 2);
      // Each value in the bin its edges say (a value on an edge may fall either side in float32).
      const { edges, counts } = s.histogram;
      expect(edges).toHaveLength(21);
      expect(counts.reduce((p, q) => p + q, 0)).toBe(v.length);
      const expected = counts.map((_, k) => v.filter((x) => x >= edges[k] && (k === counts.length - 1 ? x <= edges[k + 1] : x < edges[k + 1])).length);
      expect(counts.reduce((p, c, k) => p + Math.abs(c - expected[k]), 0)).toBeLessThanOrEqual(2);
      expect(s.gradNorm! / ref.gradNorms[l]).toBeCloseTo(1, 4);
      expect(s.weightNorm! / ref.weightNorms[l]).toBeCloseTo(1, 5);
      expect(s.gradRatio!).toBeCloseTo(s.gradNorm! / s.weightNorm!, 10);
    });
    // ReLU is sparse; the trained sigmoid layer (learning rate 0.05) has saturated units.
    expect(stats[0].zeros).toBeGreaterThan(0.1);
    expect(stats[1].zeros).toBe(0);
    expect(stats[1].saturated!).toBeGreaterThan(0);
    out.model.dispose();
  });

  it('are recorded after every epoch on every training path, the same where the weights are', async () => {
    const spec = ModelSpec.parse({ ...SPEC, layers: SPEC.layers.filter((l) => l.type !== 'dropout'), training: { ...SPEC.training, epochs: 2 } });
    const byPath: Partial<Record<TrainPath, LayerStat[][]>> = {};
    for (const path of ['native', 'fast', 'stock'] as const) {
      const out = await train(spec, blobs(400), { evaluate: false, path });
      expect(out.path).toBe(path);
      expect(out.epochs.map((e) => e.layers?.length)).toEqual([3, 3]);
      byPath[path] = out.epochs.map((e) => e.layers!);
      out.model.dispose();
    }
    // The native and fast steps train the same numbers (native-train.test.ts), so their stats agree.
    byPath.native!.flat().forEach((s, i) => {
      const f = byPath.fast!.flat()[i];
      expect(s.mean).toBeCloseTo(f.mean, 4);
      expect(s.gradNorm! / f.gradNorm!).toBeCloseTo(1, 2);
    });
    const none = await train(ModelSpec.parse({ ...SPEC, training: { ...SPEC.training, probeSize: 0 } }), blobs(300), { evaluate: false });
    expect(none.epochs[0].layers).toBeUndefined();
    none.model.dispose();
  });

  it.skipIf(!haveFashion)('show the deep sigmoid preset\'s first-layer gradients smaller than the last layer\'s, on real Fashion-MNIST', async () => {
    const data = loadCatalogIdx('fashion-mnist', HOME);
    const p = findPreset('book-deep-sigmoid')!;
    const out = await train({ ...p.spec, training: { ...p.spec.training, epochs: 1 } }, data, { limit: 1500, evaluate: false });
    const stats = out.epochs[0].layers!;
    expect(stats).toHaveLength(5);
    expect(stats[0].gradNorm!).toBeLessThan(stats[4].gradNorm! / 2);
    expect(readingText(gradientReading(stats)!)).toMatch(/^first-layer gradients are [\d.]+× smaller than the last layer's$/);
    // No sigmoid unit is ever exactly 0.
    for (const s of stats.slice(0, 4)) expect(s.zeros).toBe(0);
    out.model.dispose();
  });
});
