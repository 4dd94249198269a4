/**
 * Layer statistics at the end of an epoch (shared/layer-stats.ts), computed with tfjs on the tf
 * model after the epoch's weights are in it, so every training path (native, fast, stock) is
 * measured the same way. One forward pass over the probe batch in inference mode (dropout off)
 * gives every layer's activations; the gradient of the loss Keras trains on (mean sparse
 * categorical cross-entropy) over the same batch gives each layer's gradient norm.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../shared/spec.js';
import type { FeatureArray } from '../shared/dataset.js';
import { describeActivations, PASS_THROUGH_LAYERS, type LayerStat } from '../shared/layer-stats.js';
import { gatherRows } from './tensors.js';

export interface Probe {
  /** [n, ...inputShape], scaled as training sees it. */
  x: tf.Tensor;
  /** [n] class indices. */
  y: tf.Tensor1D;
  dispose(): void;
}

/** The probe batch: rows `rows` of (x, y), gathered once and reused every epoch. */
export function makeProbe(x: FeatureArray, y: Int32Array, rows: ArrayLike<number>, inputShape: number[], scale: number): Probe {
  const rowSize = inputShape.reduce((a, b) => a * b, 1);
  const xs = tf.tensor(gatherRows(x, rowSize, rows, scale), [rows.length, ...inputShape], 'float32');
  const labels = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) labels[i] = y[rows[i]];
  const ys = tf.tensor1d(labels, 'float32');
  return { x: xs, y: ys, dispose: () => { xs.dispose(); ys.dispose(); } };
}

/** The probe's rows: the first `size` validation rows (the same every epoch), else the first training rows. */
export function probeRows(valIdx: Int32Array, trainIdx: Int32Array, size: number): Int32Array {
  const from = valIdx.length ? valIdx : trainIdx;
  return from.slice(0, Math.min(size, from.length));
}

function squares(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
}

/** Keras' sparse categorical cross-entropy on probabilities, as the model is compiled with: normalised, clipped to [1e-7, 1 - 1e-7], batch mean. */
function sparseCrossEntropy(labels: tf.Tensor1D, output: tf.Tensor, classes: number): tf.Scalar {
  const p = tf.clipByValue(tf.div(output, tf.sum(output, -1, true)), 1e-7, 1 - 1e-7);
  const oneHot = tf.oneHot(tf.cast(labels, 'int32'), classes);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(p)), -1))) as tf.Scalar;
}

/** The statistics of every layer of `model` (built from `spec`) on the probe batch. */
export function computeLayerStats(model: tf.LayersModel, spec: ModelSpec, probe: Probe): LayerStat[] {
  const layers = model.layers;
  if (layers.length !== spec.layers.length) throw new Error(`layer statistics: the model has ${layers.length} layers, the spec ${spec.layers.length}`);
  const variables = layers.map((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const activations: Float32Array[] = [];
  // A scope, not tf.tidy: what it returns is plain numbers.
  tf.engine().startScope();
  let grads: ({ grad: number; weight: number } | null)[];
  try {
    const { grads: g } = tf.variableGrads(() => {
      let h = probe.x;
      for (let i = 0; i < layers.length; i++) {
        h = layers[i].apply(h, { training: false }) as tf.Tensor;
        activations.push(h.dataSync() as Float32Array);
      }
      return sparseCrossEntropy(probe.y, h, h.shape[h.shape.length - 1]!);
    }, variables.flat());
    // Sums of squares in JS over one read of each tensor: cheaper than a reduction kernel per variable.
    const sumSq = (ts: tf.Tensor[]): number => ts.reduce((s, t) => s + squares(t.dataSync() as Float32Array), 0);
    grads = variables.map((vs) => (vs.length ? { grad: Math.sqrt(sumSq(vs.map((v) => g[v.name]))), weight: Math.sqrt(sumSq(vs)) } : null));
  } finally {
    tf.engine().endScope();
  }
  const stats: LayerStat[] = [];
  spec.layers.forEach((layer, i) => {
    if (PASS_THROUGH_LAYERS.includes(layer.type)) return;
    const activation = 'activation' in layer ? layer.activation : null;
    const g = grads[i];
    stats.push({
      index: i, type: layer.type, activation,
      ...describeActivations(activations[i], activation),
      gradNorm: g ? g.grad : null,
      weightNorm: g ? g.weight : null,
      gradRatio: g ? g.grad / g.weight : null,
    });
  });
  return stats;
}
