/**
 * Decision regions of a trained model on a 2-feature dataset (shared/regions.ts): the model's
 * answer on a grid over the data's range, and a sample of the points with its answers on the
 * points it was scored on.
 */
import type { Dataset, FeatureArray } from '../shared/dataset.js';
import type { DecisionRegions } from '../shared/regions.js';
import type { ModelSpec } from '../shared/spec.js';
import { splitIndices } from '../shared/split.js';
import type { Predict } from './evaluate.js';

/** Every k-th of `indices`, at most `max` of them, in order. */
function sample(indices: ArrayLike<number>, max: number): number[] {
  const n = indices.length;
  const step = Math.max(1, Math.ceil(n / max));
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(indices[i]);
  return out;
}

function argmaxRows(probs: Float32Array, k: number, rows: number, onRow: (r: number, cls: number, p: number) => void): void {
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[r * k + c] > probs[r * k + best]) best = c;
    onRow(r, best, probs[r * k + best]);
  }
}

/** Predictions for arbitrary 2-feature points, in batches. */
async function predictPoints(predict: Predict, xy: Float32Array, k: number, onRow: (i: number, cls: number, p: number) => void, batch = 1024): Promise<void> {
  const n = xy.length / 2;
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const rows = Int32Array.from({ length: count }, (_, i) => start + i);
    argmaxRows(await predict(xy, rows), k, count, (r, cls, p) => onRow(start + r, cls, p));
  }
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export interface RegionsInput {
  predict: Predict;
  dataset: Dataset;
  /** Training rows of the run (indices into dataset.train). */
  trainIdx: ArrayLike<number>;
  /** The rows the run was scored on: the test split's, or its validation rows of dataset.train. */
  held: { split: 'test' | 'validation'; x: FeatureArray; y: Int32Array; indices: ArrayLike<number> };
  size?: number;
  maxPoints?: number;
}

export async function decisionRegions(o: RegionsInput): Promise<DecisionRegions> {
  const size = o.size ?? 64;
  const maxPoints = o.maxPoints ?? 1500;
  const k = o.dataset.classNames.length;
  const { train } = o.dataset;
  // The range of every point there is (train and test), so the plot frames the whole set.
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const s of [train, o.dataset.test]) {
    if (!s) continue;
    for (let i = 0; i < s.count; i++) {
      const a = s.x[2 * i];
      const b = s.x[2 * i + 1];
      if (a < x0) x0 = a;
      if (a > x1) x1 = a;
      if (b < y0) y0 = b;
      if (b > y1) y1 = b;
    }
  }
  if (!Number.isFinite(x0)) [x0, x1, y0, y1] = [-1, 1, -1, 1];
  const pad = (lo: number, hi: number): [number, number] => {
    const m = hi > lo ? (hi - lo) * 0.05 : 0.5;
    return [lo - m, hi + m];
  };
  const xr = pad(x0, x1);
  const yr = pad(y0, y1);
  const grid = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      grid[2 * (r * size + c)] = xr[0] + ((c + 0.5) * (xr[1] - xr[0])) / size;
      grid[2 * (r * size + c) + 1] = yr[0] + ((r + 0.5) * (yr[1] - yr[0])) / size;
    }
  }
  const cls = new Array<number>(size * size);
  const conf = new Array<number>(size * size);
  await predictPoints(o.predict, grid, k, (i, c, p) => { cls[i] = c; conf[i] = round2(p); });

  const tr = sample(o.trainIdx, maxPoints);
  const held = sample(o.held.indices, maxPoints);
  const heldXy = new Float32Array(held.length * 2);
  held.forEach((row, i) => { heldXy[2 * i] = o.held.x[2 * row]; heldXy[2 * i + 1] = o.held.x[2 * row + 1]; });
  const predicted = new Array<number>(held.length);
  await predictPoints(o.predict, heldXy, k, (i, c) => { predicted[i] = c; });
  return {
    x: xr, y: yr, size, cls, conf,
    train: { x: tr.map((i) => train.x[2 * i]), y: tr.map((i) => train.x[2 * i + 1]), label: tr.map((i) => train.y[i]) },
    held: { split: o.held.split, x: held.map((i) => o.held.x[2 * i]), y: held.map((i) => o.held.x[2 * i + 1]), label: held.map((i) => o.held.y[i]), predicted },
  };
}

/** The regions of a run: its training rows and the rows it was scored on, as train() and evaluateSaved() pick them. */
export function runRegions(predict: Predict, spec: ModelSpec, dataset: Dataset, limit?: number): Promise<DecisionRegions> {
  const { train, val } = splitIndices(dataset.train.count, spec.training.validationSplit, spec.training.splitSeed, limit);
  const held = dataset.test
    ? { split: 'test' as const, x: dataset.test.x, y: dataset.test.y, indices: Int32Array.from({ length: limit ? Math.min(dataset.test.count, Math.max(limit, 1000)) : dataset.test.count }, (_, i) => i) }
    : { split: 'validation' as const, x: dataset.train.x, y: dataset.train.y, indices: val };
  return decisionRegions({ predict, dataset, trainIdx: train, held });
}
