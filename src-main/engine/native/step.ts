/**
 * The native rung's training step: a Flatten/Dense/Dropout stack trained by the addon (native/src),
 * forward, backward and optimizer update in one call per batch, starting from the tf model's own
 * seeded weights. The tf model gets the trained weights back with writeBack (each epoch), so
 * saving, exporting and anything else that reads the model see them.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../shared/spec.js';
import type { FeatureArray } from '../../shared/dataset.js';
import type { NativeAddon, NativeHandle } from './addon.js';
import { encodeConfig, nativeOps } from './config.js';
import { loadNative } from './loader.js';

interface DenseWeights { op: number; layer: tf.layers.Layer; kernel: Float32Array; bias: Float32Array | null }

export interface NativeStepOptions {
  /** Kernel table: 'avx512', 'avx2', 'base'; default the best this CPU runs. */
  kernels?: string;
}

export class NativeStep {
  /** The kernel table the net runs on. */
  readonly kernels: string;
  private readonly addon: NativeAddon;
  private readonly net: NativeHandle;
  private readonly dense: DenseWeights[] = [];
  private readonly metrics = new Float64Array(2);
  private data: FeatureArray | null = null;

  /** Use nativeUnsupportedReason first: this throws for a model the addon cannot train. */
  constructor(model: tf.LayersModel, spec: ModelSpec, seed: number, shape: { inputSize: number; classes: number }, options: NativeStepOptions = {}) {
    const ops = nativeOps(spec);
    if (typeof ops === 'string') throw new Error(ops);
    this.addon = loadNative();
    this.net = this.addon.create(encodeConfig(spec, ops, shape.inputSize, shape.classes, seed), options.kernels ?? '');
    this.kernels = this.addon.kernelsOf(this.net);
    ops.forEach((op, i) => {
      if (op.kind !== 'dense') return;
      const layer = model.layers[op.layer];
      const [kernel, bias] = layer.getWeights();
      const w: DenseWeights = {
        op: i, layer,
        kernel: Float32Array.from(kernel.dataSync()),
        bias: op.useBias ? Float32Array.from(bias.dataSync()) : null,
      };
      this.addon.weights(this.net, i, w.kernel, w.bias, true);
      this.dense.push(w);
    });
  }

  /** Points the net at a dataset's rows (kept until another is given). */
  useData(x: FeatureArray, y: Int32Array, scale: number): void {
    if (this.data === x) return;
    this.addon.setData(this.net, x, y, scale);
    this.data = x;
  }

  /** One optimizer step on rows order[start..start+n): the batch's summed loss and correct count before the update. */
  run(order: Int32Array, start: number, n: number): { lossSum: number; correct: number } {
    this.addon.step(this.net, order, start, n, this.metrics);
    return { lossSum: this.metrics[0], correct: this.metrics[1] };
  }

  /** @returns [rows.length, classes] probabilities (dropout off) for rows of the current data. */
  predict(rows: Int32Array, classes: number): Float32Array {
    const probs = new Float32Array(rows.length * classes);
    this.addon.predict(this.net, rows, probs);
    return probs;
  }

  /** Copies the trained weights into the tf model's variables. */
  writeBack(): void {
    for (const w of this.dense) {
      this.addon.weights(this.net, w.op, w.kernel, w.bias, false);
      const [kernel, bias] = w.layer.getWeights();
      tf.tidy(() => w.layer.setWeights(w.bias ? [tf.tensor(w.kernel, kernel.shape), tf.tensor(w.bias, bias.shape)] : [tf.tensor(w.kernel, kernel.shape)]));
    }
  }

  /** Frees the net now (its memory is native, outside the garbage collector's view of size). */
  dispose(): void {
    this.addon.dispose(this.net);
  }
}
