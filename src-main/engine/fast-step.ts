/**
 * One training step for Dense stacks (flatten, dense with any activation, dropout) without
 * model.fit and without the autodiff tape: forward and backward written out, so the products are
 * laid out for the backend (see wasm-kernels.ts), the first layer's input gradient is never
 * computed, and softmax + sparse cross-entropy has its closed-form gradient (p − onehot) / n, as
 * Keras uses. It trains the LayersModel's own variables (with the lean update rules of
 * fast-optimizers.ts), so the result is the same model the stock path would return.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../shared/spec.js';
import { applyLayer, isProblem, LAYERS, problemText } from '../shared/layers/index.js';
import { deriveSeed, mulberry32 } from '../shared/random.js';
import { activationOf, type FastActivation } from './activations.js';
import type { HostBatch, Layout } from './batches.js';
import { chooseRoute } from './wasm-kernels.js';
import { buildFastOptimizer, type FastOptimizer } from './fast-optimizers.js';

interface DenseOp { kind: 'dense'; kernel: tf.Variable; bias: tf.Variable | null; act: FastActivation; units: number }
interface DropoutOp { kind: 'dropout'; rate: number; rand: () => number }
type Op = DenseOp | DropoutOp;

/** Keras' fuzz factor, which clips probabilities before the log. */
const EPSILON = 1e-7;

export interface FastStepOptions {
  /** Products laid out for the wasm kernels of wasm-kernels.ts (input fed feature-major). */
  planned: boolean;
}

/** Why the fast step cannot train this model, or null when it can. */
export function fastUnsupportedReason(spec: ModelSpec, model: tf.LayersModel): string | null {
  let shape: readonly number[] = spec.inputShape;
  for (const [i, layer] of spec.layers.entries()) {
    const def = LAYERS[layer.type];
    if (!def.fastStep) return `layer ${i} is ${def.kerasClass}, which the fast step does not train`;
    if (layer.type === 'dense' && shape.length !== 1) return `layer ${i} is Dense on a rank-${shape.length} input (no Flatten before it)`;
    const r = applyLayer(layer, shape);
    if (isProblem(r)) return `layer ${i}: ${problemText(r)}`;
    shape = r.shape;
  }
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dense' && !activationOf(layer)) return `layer ${layer.name} hides its activation`;
  }
  return null;
}

export class FastStep {
  readonly inputLayout: Layout;
  private readonly ops: Op[];
  private readonly firstDense: number;
  private readonly optimizer: FastOptimizer;

  /** Use fastUnsupportedReason first: this assumes the model is supported. */
  constructor(model: tf.LayersModel, spec: ModelSpec, seed: number, private readonly options: FastStepOptions) {
    this.inputLayout = options.planned ? 'col' : 'row';
    this.ops = [];
    spec.layers.forEach((layer, i) => {
      const tfLayer = model.layers[i];
      switch (layer.type) {
        case 'dense': {
          const [kernel, bias] = tfLayer.trainableWeights.map((w) => w.read() as tf.Variable);
          this.ops.push({ kind: 'dense', kernel, bias: layer.useBias ? bias : null, act: activationOf(tfLayer)!, units: layer.units });
          break;
        }
        case 'dropout':
          // Our own stream: tfjs' seeded dropout redraws the same mask at every step.
          if (layer.rate > 0) this.ops.push({ kind: 'dropout', rate: layer.rate, rand: mulberry32(deriveSeed(seed, 3000 + i)) });
          break;
        case 'flatten':
          // The batch is already [n, features] in either layout.
          break;
        case 'conv2d': case 'maxPooling2d': case 'averagePooling2d': case 'reshape':
          throw new Error(`the fast step cannot train ${layer.type}: check fastUnsupportedReason first`);
        default: {
          const unknown: never = layer;
          throw new Error(`no fast step for ${JSON.stringify(unknown)}`);
        }
      }
    });
    this.firstDense = this.ops.findIndex((op) => op.kind === 'dense');
    this.optimizer = buildFastOptimizer(spec.optimizer);
  }

  /**
   * One optimizer step on `batch`.
   * @returns [n, classes] output probabilities before the update (for the metrics), row-major
   */
  run(batch: HostBatch): Float32Array {
    return this.pass(batch, true) as Float32Array;
  }

  /**
   * The same step for a GPU backend, whose synchronous reads stall (webgl) or are unreliable
   * (webgpu reads through a canvas): the probabilities come back as a tensor the caller reads
   * with `await data()` and disposes.
   */
  runDeferred(batch: HostBatch): tf.Tensor {
    return this.pass(batch, false) as tf.Tensor;
  }

  private pass(batch: HostBatch, read: boolean): Float32Array | tf.Tensor {
    const { n } = batch;
    const classes = batch.oneHot.length / n;
    return tf.tidy(() => {
      const rowSize = batch.x.length / n;
      const x = tf.tensor2d(batch.x, this.inputLayout === 'row' ? [n, rowSize] : [rowSize, n]);
      const y = tf.tensor2d(batch.oneHot, [n, classes]);
      // inputs[i], outputs[i], pre[i]: around op i. The input stays in inputLayout up to the first Dense.
      const inputs: tf.Tensor2D[] = [];
      const outputs: tf.Tensor2D[] = [];
      const pre: tf.Tensor2D[] = [];
      const masks: tf.Tensor2D[] = [];
      let a: tf.Tensor2D = x;
      this.ops.forEach((op, i) => {
        inputs.push(a);
        const col = i < this.firstDense && this.inputLayout === 'col';
        if (op.kind === 'dropout') {
          const mask = this.mask(op, a.shape, col);
          masks[i] = mask;
          a = tf.mul(a, mask) as tf.Tensor2D;
        } else {
          const product = this.product(a, op.kernel as tf.Tensor2D, i === this.firstDense && this.inputLayout === 'col');
          const z = op.bias ? tf.add(product, op.bias) as tf.Tensor2D : product;
          pre[i] = z;
          a = op.act.forward(z);
        }
        outputs.push(a);
      });
      const probs = read ? a.dataSync() as Float32Array : a;

      const last = this.ops.length - 1;
      const grads: Array<[tf.Variable, tf.Tensor]> = [];
      let dz: tf.Tensor2D | null = null;
      let da: tf.Tensor2D | null = null;
      const lastOp = this.ops[last];
      if (lastOp.kind === 'dense' && lastOp.act.name === 'softmax') {
        dz = tf.mul(tf.sub(a, y), 1 / n) as tf.Tensor2D;
      } else {
        da = tf.grad((out: tf.Tensor) => tf.mean(sparseCrossEntropy(out as tf.Tensor2D, y)))(a) as tf.Tensor2D;
      }
      for (let i = last; i >= 0; i--) {
        const op = this.ops[i];
        if (i < this.firstDense) break;
        if (op.kind === 'dropout') {
          da = tf.mul(da!, masks[i]) as tf.Tensor2D;
          continue;
        }
        if (!dz) dz = op.act.backward(pre[i], outputs[i], da!);
        const input = inputs[i];
        const inputIsCol = i === this.firstDense && this.inputLayout === 'col';
        // [in, out]: with a feature-major input the product needs no transpose at all.
        grads.push([op.kernel, inputIsCol ? tf.matMul(input, dz) : tf.matMul(input, dz, true, false)]);
        if (op.bias) grads.push([op.bias, tf.sum(dz, 0)]);
        if (i > this.firstDense) da = tf.matMul(dz, op.kernel as tf.Tensor2D, false, true) as tf.Tensor2D;
        dz = null;
      }
      this.optimizer.apply(grads);
      return probs;
    });
  }

  /** Frees the optimizer's state; the model's variables stay. */
  dispose(): void {
    this.optimizer.dispose();
  }

  /** @returns [n, out] = input · kernel, input given as [n, in] or, when `inputIsCol`, [in, n] */
  private product(input: tf.Tensor2D, kernel: tf.Tensor2D, inputIsCol: boolean): tf.Tensor2D {
    if (inputIsCol) return tf.matMul(input, kernel, true, false);
    if (this.options.planned) {
      const [n, k] = input.shape;
      // Packing the [in, out] kernel costs more than packing the [in, n] batch: swap the product.
      if (chooseRoute(n, k, kernel.shape[1], false, false) === 'swap') return tf.transpose(tf.matMul(kernel, input, true, true)) as tf.Tensor2D;
    }
    return tf.matMul(input, kernel);
  }

  /** Inverted-dropout mask, drawn in row-major (sample, unit) order whatever the layout. */
  private mask(op: DropoutOp, shape: [number, number], col: boolean): tf.Tensor2D {
    const [rows, cols] = shape;
    const n = col ? cols : rows;
    const units = col ? rows : cols;
    const keep = 1 - op.rate;
    const m = new Float32Array(rows * cols);
    for (let s = 0; s < n; s++) {
      for (let u = 0; u < units; u++) {
        m[col ? u * n + s : s * units + u] = op.rand() < op.rate ? 0 : 1 / keep;
      }
    }
    return tf.tensor2d(m, shape);
  }
}

/**
 * Keras' sparse categorical cross-entropy on probabilities, as tfjs-layers computes it: outputs
 * clipped, normalised to sum 1, clipped again.
 * @returns [n] per-sample loss
 */
export function sparseCrossEntropy(probs: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor1D {
  const o = tf.clipByValue(probs, EPSILON, 1 - EPSILON);
  const p = tf.clipByValue(tf.div(o, tf.sum(o, -1, true)), EPSILON, 1 - EPSILON);
  return tf.neg(tf.sum(tf.mul(oneHot, tf.log(p)), -1)) as tf.Tensor1D;
}

const clip = (v: number) => Math.min(1 - EPSILON, Math.max(EPSILON, v));

/** Running sums of one epoch's loss (as sparseCrossEntropy) and correct predictions, from host-side probabilities. */
export function scoreBatch(probs: Float32Array, labels: Int32Array, n: number): { lossSum: number; correct: number } {
  const k = probs.length / n;
  let lossSum = 0;
  let correct = 0;
  for (let r = 0; r < n; r++) {
    const o = r * k;
    let sum = 0;
    let best = 0;
    for (let c = 0; c < k; c++) {
      sum += clip(probs[o + c]);
      if (probs[o + c] > probs[o + best]) best = c;
    }
    lossSum -= Math.log(clip(clip(probs[o + labels[r]]) / sum));
    if (best === labels[r]) correct++;
  }
  return { lossSum, correct };
}
