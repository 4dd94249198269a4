/**
 * Keras' EarlyStopping and ModelCheckpoint(save_best_only=True) as the training loop runs them:
 * when training stops, which weights the model keeps, which epoch is best.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { EpochCallbacks } from '../../../src-main/engine/callbacks.js';
import { TrainingSpec } from '../../../src-main/shared/spec.js';
import { bestEpochOf, isImprovement } from '../../../src-main/shared/callbacks.js';
import type { EpochMetrics } from '../../../src-main/engine/train.js';

/** A one-weight model whose weight we set to the epoch number, so kept weights name their epoch. */
function tinyModel(): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1, useBias: false })] });
  return m;
}
const weightOf = (m: tf.LayersModel) => m.getWeights()[0].dataSync()[0];

/** Runs the callbacks over val losses; "training" sets the weight to the epoch number. */
function run(training: object, valLosses: number[], valAccuracies: number[] = valLosses.map(() => 0.5)) {
  const model = tinyModel();
  const cb = new EpochCallbacks(TrainingSpec.parse({ epochs: valLosses.length, ...training }), model);
  let last = 0;
  for (let i = 0; i < valLosses.length; i++) {
    last = i + 1;
    model.setWeights([tf.tensor2d([[last]])]);
    const m: EpochMetrics = { epoch: last, loss: 1, accuracy: 0.5, valLoss: valLosses[i], valAccuracy: valAccuracies[i], seconds: 1, samplesPerSecond: 1 };
    if (cb.afterEpoch(m)) break;
  }
  const out = cb.finish(last);
  const weight = weightOf(model);
  cb.dispose();
  model.dispose();
  return { ...out, ran: last, weight };
}

describe('training callbacks', () => {
  beforeAll(async () => { await tf.setBackend('cpu'); });

  it('stops after `patience` epochs without improvement and restores the best weights (the book: stopped 17, best 15)', () => {
    const losses = [0.5, 0.45, 0.42, 0.4, 0.39, 0.38, 0.37, 0.36, 0.35, 0.345, 0.34, 0.335, 0.33, 0.325, 0.32, 0.33, 0.34, 0.31, 0.3, 0.29];
    const r = run({ earlyStopping: { patience: 2, restoreBestWeights: true } }, losses);
    expect(r).toEqual({ stoppedEpoch: 17, bestEpoch: 15, modelEpoch: 15, ran: 17, weight: 15 });
  });

  it('keeps the last weights without restore_best_weights, and patience 0 stops at the first epoch that does not improve', () => {
    expect(run({ earlyStopping: { patience: 0 } }, [1, 0.9, 0.95, 0.5])).toEqual({ stoppedEpoch: 3, bestEpoch: 2, modelEpoch: 3, ran: 3, weight: 3 });
  });

  it('counts an improvement only beyond min_delta, and watches accuracy upwards', () => {
    expect(run({ earlyStopping: { patience: 1, minDelta: 0.05 } }, [1, 0.97, 0.96, 0.5]).stoppedEpoch).toBe(2);
    expect(run({ earlyStopping: { patience: 1, minDelta: 0.05 } }, [1, 0.9, 0.87, 0.5]).stoppedEpoch).toBe(3);
    const acc = run({ earlyStopping: { monitor: 'valAccuracy', patience: 1, restoreBestWeights: true } }, [1, 1, 1, 1], [0.8, 0.85, 0.84, 0.83]);
    expect(acc).toMatchObject({ stoppedEpoch: 3, bestEpoch: 2, modelEpoch: 2, weight: 2 });
  });

  it('runs every epoch when the watched value keeps improving, and keeps the last weights then', () => {
    expect(run({ earlyStopping: { patience: 1, restoreBestWeights: true } }, [1, 0.9, 0.8])).toEqual({ stoppedEpoch: null, bestEpoch: 3, modelEpoch: 3, ran: 3, weight: 3 });
  });

  it('a checkpoint keeps the best epoch\'s weights even without early stopping', () => {
    expect(run({ checkpoint: {} }, [1, 0.7, 0.8, 0.9])).toEqual({ stoppedEpoch: null, bestEpoch: 2, modelEpoch: 2, ran: 4, weight: 2 });
  });

  it('does nothing without callbacks', () => {
    expect(run({}, [1, 2, 3])).toEqual({ stoppedEpoch: null, bestEpoch: null, modelEpoch: 3, ran: 3, weight: 3 });
  });

  it('judges improvements as Keras does, and a missing value never improves', () => {
    expect(isImprovement('valLoss', 0.5, null)).toBe(true);
    expect(isImprovement('valLoss', 0.5, 0.5)).toBe(false);
    expect(isImprovement('valAccuracy', 0.9, 0.8)).toBe(true);
    expect(isImprovement('valLoss', Number.NaN, null)).toBe(false);
    const e = (epoch: number, valLoss: number) => ({ epoch, loss: 1, accuracy: 0, valLoss, valAccuracy: 0 });
    expect(bestEpochOf([e(1, 0.5), e(2, 0.4), e(3, 0.4)], 'valLoss')).toBe(2);
  });

  it('refuses a callback watching validation scores without a validation split', () => {
    const r = TrainingSpec.safeParse({ validationSplit: 0, earlyStopping: { patience: 2 } });
    expect(r.error?.issues[0].path).toEqual(['earlyStopping', 'monitor']);
    expect(TrainingSpec.safeParse({ validationSplit: 0, earlyStopping: { monitor: 'loss' } }).success).toBe(true);
  });
});
