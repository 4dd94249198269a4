/** Evaluation of a trained model on a labelled split: loss, accuracy, confusion matrix, mistakes. */
import * as tf from '@tensorflow/tfjs';
import type { FeatureArray } from '../shared/dataset.js';
import { gatherRows } from './tensors.js';

export interface Misclassified { index: number; label: number; predicted: number; confidence: number }

export interface Evaluation {
  split: 'test' | 'validation';
  count: number;
  loss: number;
  accuracy: number;
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  /** The first mistakes, in sample order, with the model's confidence in its wrong answer. */
  misclassified: Misclassified[];
}

export interface LossAccuracy { loss: number; accuracy: number }

/** [rows.length, classes] probabilities for rows `rows` of a dataset's features `x`. */
export type Predict = (x: FeatureArray, rows: Int32Array) => Float32Array | Promise<Float32Array>;

/** Predictions of a tf model, rows gathered and scaled as training sees them. */
export function tfPredictor(model: tf.LayersModel, inputShape: number[], scale: number): Predict {
  const rowSize = inputShape.reduce((a, b) => a * b, 1);
  const run = (x: FeatureArray, rows: Int32Array) => tf.tidy(() => {
    const xs = tf.tensor(gatherRows(x, rowSize, rows, scale), [rows.length, ...inputShape]);
    return model.predict(xs) as tf.Tensor;
  });
  // A GPU backend is read asynchronously (see FastStep.runDeferred).
  const b = tf.getBackend();
  if (b === 'webgpu' || b === 'webgl') {
    return async (x, rows) => {
      const t = run(x, rows);
      try {
        return await t.data() as Float32Array;
      } finally {
        t.dispose();
      }
    };
  }
  return (x, rows) => {
    const t = run(x, rows);
    try {
      return t.dataSync() as Float32Array;
    } finally {
      t.dispose();
    }
  };
}

/**
 * Runs `predict` over `indices` of (x, y) in batches.
 * Loss is the mean sparse categorical cross-entropy, as Keras reports it.
 */
export async function predictSplit(
  predict: Predict, x: FeatureArray, y: Int32Array, indices: ArrayLike<number>, numClasses: number,
  onRow?: (i: number, probs: Float32Array, label: number) => void, batchSize = 1024,
): Promise<LossAccuracy> {
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < indices.length; start += batchSize) {
    const idx = Int32Array.from(Array.prototype.slice.call(indices, start, Math.min(indices.length, start + batchSize)) as number[]);
    const p = predict(x, idx);
    const probs = p instanceof Promise ? await p : p;
    for (let r = 0; r < idx.length; r++) {
      const label = y[idx[r]];
      const row = probs.subarray(r * numClasses, (r + 1) * numClasses);
      let best = 0;
      for (let c = 1; c < numClasses; c++) if (row[c] > row[best]) best = c;
      if (best === label) correct++;
      lossSum += -Math.log(Math.min(1, Math.max(row[label], 1e-7)));
      onRow?.(idx[r], row, label);
    }
  }
  const n = indices.length;
  return { loss: n ? lossSum / n : NaN, accuracy: n ? correct / n : NaN };
}

export async function evaluate(
  predict: Predict, x: FeatureArray, y: Int32Array, indices: ArrayLike<number>,
  classNames: string[], split: Evaluation['split'], maxMistakes = 200,
): Promise<Evaluation> {
  const k = classNames.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const misclassified: Misclassified[] = [];
  const { loss, accuracy } = await predictSplit(predict, x, y, indices, k, (i, probs, label) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[c] > probs[best]) best = c;
    confusion[label][best]++;
    if (best !== label && misclassified.length < maxMistakes) {
      misclassified.push({ index: i, label, predicted: best, confidence: probs[best] });
    }
  });
  return { split, count: indices.length, loss, accuracy, confusion, misclassified };
}
