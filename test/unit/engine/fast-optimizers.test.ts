/** The lean optimizers where they differ from tfjs on purpose, and their memory. */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { buildFastOptimizer } from '../../../src-main/engine/fast-optimizers.js';
import { OptimizerSpec } from '../../../src-main/shared/spec.js';

describe('fast optimizers', () => {
  beforeAll(async () => { await selectBackend('auto'); });

  it('centered RMSprop follows Keras (sqrt(ms − mg² + ε)) and stays finite where a gradient is 0', () => {
    const spec = OptimizerSpec.parse({ type: 'rmsprop', centered: true, learningRate: 0.01, rho: 0.9, epsilon: 1e-7 });
    const opt = buildFastOptimizer(spec);
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3]), true));
    const g = tf.tensor1d([0.5, 0, -2]);
    tf.tidy(() => opt.apply([[w, g]]));
    const want = [0.5, 0, -2].map((gi, i) => (i + 1) - (0.01 * gi) / Math.sqrt(0.1 * gi * gi - (0.1 * gi) ** 2 + 1e-7));
    const got = Array.from(w.dataSync());
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 6));
    opt.dispose();
    tf.dispose([w, g]);
  });

  it.each(['sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax'] as const)('%s keeps its state until disposed, then frees it', (type) => {
    const before = tf.memory().numTensors;
    const opt = buildFastOptimizer(OptimizerSpec.parse({ type, ...(type === 'sgd' ? { momentum: 0.9 } : {}) }));
    const w = tf.tidy(() => tf.variable(tf.ones([4, 3]), true));
    const g = tf.fill([4, 3], 0.25);
    for (let i = 0; i < 3; i++) tf.tidy(() => opt.apply([[w, g]]));
    const during = tf.memory().numTensors;
    tf.tidy(() => opt.apply([[w, g]]));
    expect(tf.memory().numTensors).toBe(during);
    expect(Array.from(w.dataSync()).every((x) => Number.isFinite(x) && x < 1)).toBe(true);
    opt.dispose();
    tf.dispose([w, g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
