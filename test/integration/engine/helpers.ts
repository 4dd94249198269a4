/** Small datasets and weight comparisons for the engine's training tests. */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../../src-main/shared/dataset.js';
import { mulberry32 } from '../../../src-main/shared/random.js';

/**
 * Ten Gaussian blobs in `features` dimensions, learnable in a few epochs; `extreme` scales every
 * feature to overflow float32 products.
 */
export function blobs(count: number, features = 20, seed = 7, extreme = false): Dataset {
  const rand = mulberry32(seed);
  const k = 10;
  const centres = Array.from({ length: k }, () => Array.from({ length: features }, () => rand() * 4 - 2));
  const x = new Float32Array(count * features);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % k;
    y[i] = c;
    for (let j = 0; j < features; j++) x[i * features + j] = (centres[c][j] + (rand() - 0.5)) * (extreme ? 1e38 : 1);
  }
  return {
    id: 'test:blobs', name: 'blobs', featureShape: [features], classNames: Array.from({ length: k }, (_, i) => String(i)),
    scale: 1, train: { x, y, count },
  };
}

/** Every trainable weight of the model, flattened, in order. */
export function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

export function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0;
  a.forEach((arr, i) => { for (let j = 0; j < arr.length; j++) d = Math.max(d, Math.abs(arr[j] - b[i][j])); });
  return d;
}
