/**
 * Everything Layerlab registers on the wasm backend, installed once when wasm is chosen: the
 * matrix products (wasm-kernels.ts), the convolution's gradients (wasm-conv.ts) and max pooling's
 * gradient (wasm-pool.ts), sums over leading axes (wasm-reduce.ts).
 * @returns whether the replacement matrix products are in place (the fast step plans for them)
 */
import { installWasmMatMul } from './wasm-kernels.js';
import { installWasmConv } from './wasm-conv.js';
import { installWasmPool } from './wasm-pool.js';
import { installWasmReduce } from './wasm-reduce.js';

export function installWasmKernels(): boolean {
  const matMul = installWasmMatMul();
  installWasmConv();
  installWasmPool();
  installWasmReduce();
  return matMul;
}
