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

/** What the probe batch gives, as tensors the caller reads and then disposes. */
interface ProbeTensors {
  /** Each layer's output. */
  activations: tf.Tensor[];
  /** Per layer, the loss gradient of each trainable weight (disposed with the rest), and the weights (the model's: not disposed). */
  grads: tf.Tensor[][];
  weights: tf.Tensor[][];
}

function probeTensors(model: tf.LayersModel, spec: ModelSpec, probe: Probe): ProbeTensors {
  const layers = model.layers;
  if (layers.length !== spec.layers.length) throw new Error(`layer statistics: the model has ${layers.length} layers, the spec ${spec.layers.length}`);
  const weights = layers.map((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const activations: tf.Tensor[] = [];
  try {
    const { value, grads } = tf.variableGrads(() => {
      let h = probe.x;
      for (let i = 0; i < layers.length; i++) {
        h = layers[i].apply(h, { training: false }) as tf.Tensor;
        // Kept past the gradient's tidy: read after it (synchronously or not).
        activations.push(tf.keep(h));
      }
      return sparseCrossEntropy(probe.y, h, h.shape[h.shape.length - 1]!);
    }, weights.flat());
    value.dispose();
    return { activations, grads: weights.map((vs) => vs.map((v) => grads[v.name])), weights };
  } catch (err) {
    for (const a of activations) a.dispose();
    throw err;
  }
}

function disposeProbeTensors(t: ProbeTensors): void {
  for (const a of t.activations) a.dispose();
  for (const g of t.grads.flat()) g.dispose();
}

/** The LayerStats from the values read: each layer's activations, and each weighted layer's gradient and weight norms. */
function assemble(spec: ModelSpec, activations: Float32Array[], norms: ({ grad: number; weight: number } | null)[]): LayerStat[] {
  const stats: LayerStat[] = [];
  spec.layers.forEach((layer, i) => {
    if (PASS_THROUGH_LAYERS.includes(layer.type)) return;
    const activation = 'activation' in layer ? layer.activation : null;
    const g = norms[i];
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

/** Sums of squares in JS over one read of each tensor: cheaper than a reduction kernel per variable. */
const norm = (values: Float32Array[]): number => Math.sqrt(values.reduce((s, v) => s + squares(v), 0));

/** The statistics of every layer of `model` (built from `spec`) on the probe batch, read synchronously (CPU backends). */
export function computeLayerStats(model: tf.LayersModel, spec: ModelSpec, probe: Probe): LayerStat[] {
  const t = probeTensors(model, spec, probe);
  try {
    const read = (x: tf.Tensor) => x.dataSync() as Float32Array;
    return assemble(spec, t.activations.map(read), t.weights.map((vs, i) => (vs.length ? { grad: norm(t.grads[i].map(read)), weight: norm(vs.map(read)) } : null)));
  } finally {
    disposeProbeTensors(t);
  }
}

/**
 * The same statistics read asynchronously (`await data()`), for the GPU backends: webgpu's
 * synchronous read goes through a canvas and returned wrong numbers on SwiftShader.
 */
export async function computeLayerStatsAsync(model: tf.LayersModel, spec: ModelSpec, probe: Probe): Promise<LayerStat[]> {
  const t = probeTensors(model, spec, probe);
  try {
    const read = (xs: tf.Tensor[]) => Promise.all(xs.map(async (x) => await x.data() as Float32Array));
    const activations = await read(t.activations);
    const norms = await Promise.all(t.weights.map(async (vs, i) => (vs.length ? { grad: norm(await read(t.grads[i])), weight: norm(await read(vs)) } : null)));
    return assemble(spec, activations, norms);
  } finally {
    disposeProbeTensors(t);
  }
}
