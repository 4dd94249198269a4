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
import { activationOf, type FastActivation } from './activations.js';

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

/** A Dense stack (flatten, dense, dropout) on rows, ending in softmax: its Dense layers' activations, else null. */
function denseStack(model: tf.LayersModel, spec: ModelSpec): (FastActivation | null)[] | null {
  const acts = spec.layers.map((l, i) => (l.type === 'dense' ? activationOf(model.layers[i]) : null));
  // Each Dense must see rows (a flat input, or one after Flatten): on an image's rows Keras'
  // Dense works on the last axis, which these formulas do not.
  let flat = spec.inputShape.length === 1;
  const ok = spec.layers.every((l, i) => {
    if (l.type === 'flatten') return (flat = true);
    return l.type === 'dense' ? flat && acts[i] !== null : l.type === 'dropout';
  });
  const last = spec.layers.length - 1;
  return ok && spec.layers[last].type === 'dense' && acts[last]?.name === 'softmax' ? acts : null;
}

/**
 * The probe batch through a Dense stack by hand (the fast step's formulas, in inference mode):
 * the loss gradient of softmax + cross-entropy in closed form, (p − onehot) / n, as Keras trains
 * with, and no gradient for the input. The tape (`tf.variableGrads`) computed the clipped loss's
 * gradient op by op and the first layer's input gradient besides, most of the statistics' cost.
 */
function denseProbeTensors(model: tf.LayersModel, spec: ModelSpec, probe: Probe, acts: (FastActivation | null)[]): ProbeTensors {
  const layers = model.layers;
  const weights = layers.map((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const n = probe.x.shape[0];
  const activations: tf.Tensor[] = [];
  const grads: tf.Tensor[][] = weights.map(() => []);
  try {
    tf.tidy(() => {
      const inputs: tf.Tensor2D[] = [];
      const pre: (tf.Tensor2D | null)[] = [];
      let a = tf.reshape(probe.x, [n, -1]) as tf.Tensor2D;
      spec.layers.forEach((layer, i) => {
        inputs.push(a);
        pre.push(null);
        if (layer.type === 'dense') {
          const product = tf.matMul(a, weights[i][0] as tf.Tensor2D) as tf.Tensor2D;
          const z = layer.useBias ? tf.add(product, weights[i][1]) as tf.Tensor2D : product;
          pre[i] = z;
          a = acts[i]!.forward(z);
        }
        // Flatten and (inference-mode) Dropout pass the values through.
        activations.push(tf.keep(a));
      });
      const classes = a.shape[1];
      const first = spec.layers.findIndex((l) => l.type === 'dense');
      let dz: tf.Tensor2D | null = tf.mul(tf.sub(a, tf.oneHot(tf.cast(probe.y, 'int32'), classes)), 1 / n) as tf.Tensor2D;
      let da: tf.Tensor2D | null = null;
      for (let i = spec.layers.length - 1; i >= first; i--) {
        const layer = spec.layers[i];
        if (layer.type !== 'dense') continue;
        if (!dz) dz = acts[i]!.backward(pre[i]!, activations[i] as tf.Tensor2D, da!);
        grads[i].push(tf.keep(tf.matMul(inputs[i], dz, true, false)));
        if (layer.useBias) grads[i].push(tf.keep(tf.sum(dz, 0)));
        if (i > first) da = tf.matMul(dz, weights[i][0] as tf.Tensor2D, false, true) as tf.Tensor2D;
        dz = null;
      }
    });
    return { activations, grads, weights };
  } catch (err) {
    for (const x of [...activations, ...grads.flat()]) x.dispose();
    throw err;
  }
}

function probeTensors(model: tf.LayersModel, spec: ModelSpec, probe: Probe): ProbeTensors {
  const layers = model.layers;
  if (layers.length !== spec.layers.length) throw new Error(`layer statistics: the model has ${layers.length} layers, the spec ${spec.layers.length}`);
  const dense = denseStack(model, spec);
  if (dense) return denseProbeTensors(model, spec, probe, dense);
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
    // Flatten, Reshape and Dropout get no statistics: their values are not read.
    return assemble(spec, t.activations.map((a, i) => (PASS_THROUGH_LAYERS.includes(spec.layers[i].type) ? new Float32Array(0) : read(a))), t.weights.map((vs, i) => (vs.length ? { grad: norm(t.grads[i].map(read)), weight: norm(vs.map(read)) } : null)));
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
