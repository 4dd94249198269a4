/**
 * The kernels Layerlab registers on the wasm backend for convolutional networks, held to the cpu
 * backend: the convolution's gradients (wasm-conv.ts), max pooling's (wasm-pool.ts, ties
 * included) and sums over leading axes (wasm-reduce.ts). Bound: max |wasm − cpu| ≤ 1e-5 ·
 * max |cpu| (float32 sums in another order); max pooling's routing must be exact.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernels } from '../../../src-main/engine/wasm-install.js';
import { CONV_LIMITS } from '../../../src-main/engine/wasm-conv.js';
import { mulberry32 } from '../../../src-main/shared/random.js';

const REL = 1e-5;
const rand = mulberry32(8474);

function randomArray(n: number, ties = false): Float32Array {
  const a = new Float32Array(n);
  // With ties: small integers and many zeros, as after relu, where routing matters.
  for (let i = 0; i < n; i++) a[i] = ties ? (rand() < 0.4 ? 0 : Math.floor(rand() * 3)) : rand() * 2 - 1;
  return a;
}

/** Runs `f` on a backend and reads every output back. */
function on(name: string, f: () => tf.Tensor[]): Float32Array[] {
  tf.setBackend(name);
  return tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
}

function expectClose(got: Float32Array[], want: Float32Array[]): void {
  want.forEach((w, j) => {
    let maxRef = 0;
    let maxDiff = 0;
    for (let i = 0; i < w.length; i++) {
      maxRef = Math.max(maxRef, Math.abs(w[i]));
      maxDiff = Math.max(maxDiff, Math.abs(got[j][i] - w[i]));
    }
    expect(got[j].length).toBe(w.length);
    expect(maxDiff, `output ${j}`).toBeLessThanOrEqual(REL * Math.max(maxRef, 1e-30));
  });
}

describe('wasm kernels for convolutional networks', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    expect(installWasmKernels()).toBe(true);
  });
  afterAll(() => { CONV_LIMITS.chunkFloats = 4 << 20; });

  it('has the convolution\'s weight gradient, which tfjs-backend-wasm lacks', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  // [x shape, filter shape, strides, padding]
  const CASES: Array<[number[], number[], number | [number, number], 'same' | 'valid']> = [
    [[4, 28, 28, 1], [3, 3, 1, 8], 1, 'same'], // the book's first layer: one channel
    [[3, 14, 14, 16], [3, 3, 16, 12], 1, 'same'],
    [[2, 9, 8, 5], [2, 2, 5, 3], 1, 'same'], // even kernel: 'same' pads unevenly
    [[2, 9, 8, 3], [3, 2, 3, 4], 1, 'valid'],
    [[3, 9, 7, 2], [3, 3, 2, 5], 2, 'same'], // stride 2: the stock input gradient
    [[2, 10, 9, 9], [4, 3, 9, 2], [2, 3], 'valid'],
  ];
  for (const [xShape, wShape, strides, pad] of CASES) {
    it(`Conv2D ${xShape.join('×')} * ${wShape.join('×')}, strides ${strides}, ${pad}: the cpu backend's gradients`, () => {
      const xs = randomArray(xShape.reduce((a, b) => a * b));
      const ws = randomArray(wShape.reduce((a, b) => a * b));
      const run = () => {
        const x = tf.tensor4d(xs, xShape as [number, number, number, number]);
        const w = tf.tensor4d(ws, wShape as [number, number, number, number]);
        // A weighted sum, so every output position has its own gradient.
        const loss = (a: tf.Tensor, b: tf.Tensor) => {
          const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad);
          return tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
        };
        return tf.grads(loss)([x, w]);
      };
      expectClose(on('wasm', run), on('cpu', run));
    });
  }

  it('builds the patches in chunks when a batch is large, with the same result', () => {
    const xs = randomArray(6 * 8 * 8 * 3);
    const dys = randomArray(6 * 8 * 8 * 4);
    const run = () => [tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, [6, 8, 8, 3]), dy: tf.tensor4d(dys, [6, 8, 8, 4]) },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] }) as tf.Tensor];
    const whole = on('wasm', run);
    CONV_LIMITS.chunkFloats = 64 * 27 * 2; // two samples a chunk
    const chunked = on('wasm', run);
    CONV_LIMITS.chunkFloats = 4 << 20;
    expectClose(chunked, whole);
    expectClose(whole, on('cpu', run));
  });

  for (const [shape, size, strides, pad] of [[[2, 6, 6, 3], 2, 2, 'valid'], [[2, 7, 5, 2], 3, 2, 'same'], [[1, 5, 5, 4], 3, 1, 'same']] as const) {
    it(`max pooling ${shape.join('×')}, window ${size}, strides ${strides}, ${pad}: the gradient goes to the first maximum, as on cpu`, () => {
      const xs = randomArray((shape as readonly number[]).reduce((a, b) => a * b, 1), true);
      const run = () => {
        const x = tf.tensor4d(xs, [...shape]);
        const loss = (v: tf.Tensor) => {
          const y = tf.maxPool(v as tf.Tensor4D, size, strides, pad);
          return tf.sum(tf.mul(y, tf.range(1, 1 + y.size).reshape(y.shape)));
        };
        const avg = (v: tf.Tensor) => tf.sum(tf.square(tf.avgPool(v as tf.Tensor4D, size, strides, pad)));
        return [tf.grad(loss)(x), tf.grad(avg)(x)];
      };
      const [wasmMax, wasmAvg] = on('wasm', run);
      const [cpuMax, cpuAvg] = on('cpu', run);
      expect(Array.from(wasmMax)).toEqual(Array.from(cpuMax));
      expectClose([wasmAvg], [cpuAvg]);
    });
  }

  it('sums over leading axes (a bias gradient) and any other axes as the cpu backend does', () => {
    const xs = randomArray(4 * 5 * 6 * 7);
    const run = () => {
      const x = tf.tensor4d(xs, [4, 5, 6, 7]);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, [1, 0], true), tf.sum(x, 0), tf.sum(x, [1, 3]), tf.sum(x, -1), tf.sum(x)];
    };
    const got = on('wasm', run);
    expectClose(got, on('cpu', run));
    tf.setBackend('wasm');
    expect(tf.tidy(() => tf.sum(tf.ones([2, 3, 4]), [1, 0], true).shape)).toEqual([1, 1, 4]);
  });
});
