/**
 * Faster matrix products on the wasm backend, registered over the stock kernels at start-up.
 *
 * tfjs-backend-wasm 4.22 sends BatchMatMul / _FusedMatMul to XNNPACK only when neither operand is
 * transposed and there is no batch dimension; a transposed product (both of a Dense layer's
 * backward products: dW = xᵀ·dy, dx = dy·Wᵀ) falls to a scalar loop about 12× slower. XNNPACK
 * also packs the right operand on every call with a new right tensor, at several ns per element,
 * so which operand ends up on the right matters as much as the transpose.
 *
 * The replacement keeps the stock kernel for plain products (its operator cache makes repeated
 * products with fixed weights, as in predict, cheap) and for batched ones, and for transposed
 * rank-2 products picks the cheapest of: transpose first then the fast path; the fast path on the
 * transposed problem (bᵀ·aᵀ, then transpose the result) so the smaller operand is packed; or the
 * stock loop when the product is tiny (never with a bias: the stock loop adds the wrong bias element
 * to every row but the first). Internals of one tfjs version are relied on, so it is
 * installed only for tfjs-core 4.22.0 and the stock kernels stay otherwise.
 */
import * as tf from '@tensorflow/tfjs';

/** The tfjs version whose wasm kernels these replacements were measured against. */
export const PINNED_TFJS_VERSION = '4.22.0';

type KernelFunc = tf.KernelConfig['kernelFunc'];
type KernelArgs = Parameters<KernelFunc>[0];

/** The slice of the wasm backend used here: freeing an intermediate's memory. */
interface DisposingBackend { disposeData(dataId: object): boolean }

/** Rough costs in ns, measured on 4.22 with SIMD, 1 thread, on 2 busy cores. */
const COST = {
  /** Per element transposed (the Transpose kernel: 78,400 in ~35 µs, 25,088 in ~20 µs). */
  transpose: 1,
  /** Per element of the right operand XNNPACK packs on a fresh operator (~3 ns from 3,200 to 100,000). */
  pack: 3,
  /** Creating and running an XNNPACK operator, per call. */
  fixed: 20_000,
  /** Per multiply-add of the compute itself; the same for both fast options. */
  fastMac: 0.07,
  /** Per multiply-add in the stock scalar loop. */
  slowMac: 1,
};

export type MatMulRoute = 'stock' | 'transpose-first' | 'swap';

/**
 * Picks how to compute op(a)[m,k]·op(b)[k,n] for a transposed rank-2 product.
 * 'transpose-first': materialise op(a), op(b), fast path (packs k·n).
 * 'swap': (op(b)ᵀ·op(a)ᵀ)ᵀ, fast path (packs k·m) then transpose the [n,m] result.
 */
export function chooseRoute(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, allowSwap = true): MatMulRoute {
  const compute = COST.fastMac * m * k * n + COST.fixed;
  const first = compute + COST.pack * k * n + COST.transpose * ((transposeA ? m * k : 0) + (transposeB ? k * n : 0));
  const swap = compute + COST.pack * k * m + COST.transpose * ((transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * n);
  const slow = COST.slowMac * m * k * n;
  if (slow <= first && (!allowSwap || slow <= swap)) return 'stock';
  return allowSwap && swap < first ? 'swap' : 'transpose-first';
}

let installed: 'yes' | 'no' | null = null;

/**
 * Registers the replacements on 'wasm' once per process. Returns false (stock kernels kept) when
 * the tfjs version is not the pinned one or the wasm kernels are missing.
 */
export function installWasmMatMul(): boolean {
  if (installed) return installed === 'yes';
  installed = 'no';
  if (tf.version_core !== PINNED_TFJS_VERSION) return false;
  const batch = tf.getKernel('BatchMatMul', 'wasm');
  const fused = tf.getKernel('_FusedMatMul', 'wasm');
  const transposeKernel = tf.getKernel('Transpose', 'wasm');
  if (!batch || !fused || !transposeKernel) return false;

  const swapLastTwo = (info: tf.TensorInfo, backend: KernelArgs['backend']): tf.TensorInfo => {
    const r = info.shape.length;
    const perm = info.shape.map((_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
    return transposeKernel.kernelFunc({ inputs: { x: info }, backend, attrs: { perm } }) as tf.TensorInfo;
  };

  const replace = (original: tf.KernelConfig, allowSwap: boolean): void => {
    const kernelFunc: KernelFunc = (args) => {
      const { inputs, backend } = args;
      const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const transposeA = attrs.transposeA === true;
      const transposeB = attrs.transposeB === true;
      const rank2Like = sizeOfOuter(a.shape) === 1 && sizeOfOuter(b.shape) === 1;
      if ((!transposeA && !transposeB) || !rank2Like) return original.kernelFunc(args);
      const ra = a.shape.length;
      const rb = b.shape.length;
      const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
      const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
      const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
      let route = chooseRoute(m, k, n, transposeA, transposeB, allowSwap);
      // The stock loop adds bias element min(i·n + j, n − 1) instead of j: wrong below row 0.
      if (route === 'stock' && inputs.bias != null) route = 'transpose-first';
      if (route === 'stock') return original.kernelFunc(args);
      const temps: tf.TensorInfo[] = [];
      const plain = (x: tf.TensorInfo, flip: boolean) => {
        if (!flip) return x;
        const t = swapLastTwo(x, backend);
        temps.push(t);
        return t;
      };
      const flat = { ...(args.attrs ?? {}), transposeA: false, transposeB: false };
      let out: tf.TensorInfo;
      if (route === 'transpose-first') {
        out = original.kernelFunc({ inputs: { ...inputs, a: plain(a, transposeA), b: plain(b, transposeB) }, backend, attrs: flat }) as tf.TensorInfo;
      } else {
        const outT = original.kernelFunc({ inputs: { a: plain(b, !transposeB), b: plain(a, !transposeA) }, backend, attrs: flat }) as tf.TensorInfo;
        temps.push(outT);
        out = swapLastTwo(outT, backend);
      }
      // Intermediates never reach the engine, so the engine would not free them.
      for (const t of temps) (backend as DisposingBackend).disposeData(t.dataId);
      return out;
    };
    tf.unregisterKernel(original.kernelName, 'wasm');
    tf.registerKernel({ ...original, kernelFunc });
  };
  replace(batch, true);
  // The fused kernel adds a bias along the last axis, which swapping would move: no swap there.
  replace(fused, false);
  installed = 'yes';
  return true;
}

function sizeOfOuter(shape: number[]): number {
  let s = 1;
  for (let i = 0; i < shape.length - 2; i++) s *= shape[i];
  return s;
}
