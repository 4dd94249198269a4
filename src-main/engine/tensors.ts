/** Moving dataset rows into tensors. */
import * as tf from '@tensorflow/tfjs';
import type { FeatureArray } from '../shared/dataset.js';

/**
 * Copies rows `indices` of `x` (row length `rowSize`) into a float32 array, scaled.
 * @returns [indices.length * rowSize] float32
 */
export function gatherRows(x: FeatureArray, rowSize: number, indices: ArrayLike<number>, scale: number): Float32Array {
  const out = new Float32Array(indices.length * rowSize);
  for (let r = 0; r < indices.length; r++) {
    const src = indices[r] * rowSize;
    const dst = r * rowSize;
    if (scale === 1) {
      out.set(x.subarray(src, src + rowSize), dst);
    } else {
      for (let j = 0; j < rowSize; j++) out[dst + j] = x[src + j] * scale;
    }
  }
  return out;
}

export function gatherLabels(y: Int32Array, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length);
  for (let r = 0; r < indices.length; r++) out[r] = y[indices[r]];
  return out;
}

/** @returns x: [n, ...inputShape] float32, y: [n] float32 class indices */
export function toTensors(x: FeatureArray, y: Int32Array, inputShape: number[], indices: ArrayLike<number>, scale: number): { xs: tf.Tensor; ys: tf.Tensor1D } {
  const rowSize = inputShape.reduce((a, b) => a * b, 1);
  const xs = tf.tensor(gatherRows(x, rowSize, indices, scale), [indices.length, ...inputShape], 'float32');
  const ys = tf.tensor1d(gatherLabels(y, indices), 'float32');
  return { xs, ys };
}
