/**
 * The wasm BatchMatMul / _FusedMatMul replacements against the cpu backend, on fresh random inputs.
 * Bound: max |wasm − cpu| ≤ 1e-5 · max |cpu| over the whole output (float32 sums of up to 784
 * products differ in rounding only).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { chooseRoute, installWasmMatMul, PINNED_TFJS_VERSION } from '../../../src-main/engine/wasm-kernels.js';
import { mulberry32 } from '../../../src-main/shared/random.js';

const REL = 1e-5;
const rand = mulberry32(20240607);

function randomArray(shape: number[]): Float32Array {
  const a = new Float32Array(shape.reduce((x, y) => x * y, 1));
  for (let i = 0; i < a.length; i++) a[i] = rand() * 2 - 1;
  return a;
}

function onBackend(name: string, f: () => tf.Tensor): { data: Float32Array; shape: number[] } {
  tf.setBackend(name);
  return tf.tidy(() => {
    const t = f();
    return { data: t.dataSync() as Float32Array, shape: t.shape };
  });
}

function expectClose(got: { data: Float32Array; shape: number[] }, want: { data: Float32Array; shape: number[] }): void {
  expect(got.shape).toEqual(want.shape);
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < want.data.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(want.data[i]));
    maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - want.data[i]));
  }
  expect(maxDiff).toBeLessThanOrEqual(REL * Math.max(maxRef, 1e-30));
}

// [a shape, b shape, transposeA, transposeB]
const CASES: Array<[number[], number[], boolean, boolean]> = [
  [[32, 784], [32, 100], true, false], // dW = xᵀ·dy of the book's first layer
  [[32, 100], [784, 100], false, true], // dx = dy·Wᵀ
  [[128, 784], [128, 100], true, false],
  [[32, 10], [100, 10], false, true],
  [[100, 32], [10, 100], true, true],
  [[7, 3], [5, 7], true, true],
  [[1, 3], [2, 3], false, true], // tiny: the stock loop
  [[33, 65], [33, 17], true, false],
  [[1, 40, 30], [1, 50, 40], true, true], // rank 3, batch of one
  [[3, 40, 30], [3, 40, 20], true, false], // batch dims
  [[4, 6, 5], [1, 6, 8], true, false], // broadcast batch
  [[2, 3, 9, 12], [2, 3, 7, 12], false, true],
  [[64, 50], [50, 30], false, false], // untransposed: the stock kernel
];

describe('wasm matmul replacement', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    await tf.setBackend('cpu');
    await tf.ready();
    await tf.setBackend('wasm');
    expect(installWasmMatMul()).toBe(true);
  });
  afterAll(async () => { await tf.setBackend('wasm'); });

  it('is pinned to the installed tfjs', () => {
    expect(tf.version_core).toBe(PINNED_TFJS_VERSION);
  });

  it.each(CASES)('matMul %j · %j (transposeA %s, transposeB %s) matches cpu', (sa, sb, ta, tb) => {
    const a = randomArray(sa);
    const b = randomArray(sb);
    const f = () => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb);
    expectClose(onBackend('wasm', f), onBackend('cpu', f));
  });

  it.each(CASES.filter(([sa, sb]) => sa.length === 2 && sb.length === 2))('fused matMul + bias + relu %j · %j (%s, %s) matches cpu', (sa, sb, ta, tb) => {
    const a = randomArray(sa);
    const b = randomArray(sb);
    const n = tb ? sb[0] : sb[1];
    const bias = randomArray([n]);
    const f = () => tf.fused.matMul({ a: tf.tensor2d(a, sa as [number, number]), b: tf.tensor2d(b, sb as [number, number]), transposeA: ta, transposeB: tb, bias: tf.tensor1d(bias), activation: 'relu' });
    expectClose(onBackend('wasm', f), onBackend('cpu', f));
  });

  it('gradients through the replaced kernel match cpu', () => {
    const x = randomArray([16, 30]);
    const w = randomArray([30, 8]);
    const f = () => {
      const g = tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.square(tf.matMul(xs, ws))));
      const [dx, dw] = g([tf.tensor2d(x, [16, 30]), tf.tensor2d(w, [30, 8])]);
      return tf.concat([dx.flatten(), dw.flatten()]);
    };
    expectClose(onBackend('wasm', f), onBackend('cpu', f));
  });

  it('frees its intermediates', () => {
    tf.setBackend('wasm');
    const a = tf.tensor2d(randomArray([32, 784]), [32, 784]);
    const b = tf.tensor2d(randomArray([32, 100]), [32, 100]);
    tf.matMul(a, b, true, false).dispose();
    const before = tf.memory();
    for (let i = 0; i < 5; i++) tf.matMul(a, b, true, false).dispose();
    for (let i = 0; i < 5; i++) tf.matMul(b, tf.tensor2d(randomArray([100, 100]), [100, 100]), false, true).dispose();
    // The second loop's inputs are never disposed: 5 tensors, nothing else.
    expect(tf.memory().numTensors).toBe(before.numTensors + 5);
    expect((tf.memory() as { numDataBuffers: number }).numDataBuffers).toBe((before as { numDataBuffers: number }).numDataBuffers + 5);
    a.dispose();
    b.dispose();
  });

  it('routes the backward products of a Dense layer off the scalar loop', () => {
    expect(chooseRoute(784, 32, 100, true, false)).toBe('transpose-first');
    expect(chooseRoute(32, 100, 784, false, true)).toBe('swap');
    expect(chooseRoute(1, 3, 2, false, true)).toBe('stock');
  });
});
