/**
 * Sums over the leading axes on the wasm backend: a bias' gradient (a [batch, h, w, channels]
 * gradient summed to [channels]) is the common case in a convolutional network.
 *
 * tfjs-backend-wasm 4.22 sums only innermost axes, so it first transposes the whole tensor to
 * put the summed axes last (for the book's first Conv2D at batch 32: 802,816 values moved, then
 * summed). Summing rows straight into the output needs no transpose. Other reductions keep the
 * stock kernel.
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelConfig['kernelFunc']>[0];

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** out[c] = Σ_r x[r·cols + c], accumulated in double precision. */
export function sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < cols; c++) acc[c] += x[o + c];
  }
  out.set(acc);
}

/** The axes as a sorted list when they are exactly 0, 1, …, k−1 (k < rank); else null. */
function leadingAxes(axis: number | number[], rank: number): number | null {
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= rank) return null;
  return axes.every((a, i) => a === i) ? axes.length : null;
}

let installed: boolean | null = null;

export function installWasmReduce(): boolean {
  if (installed !== null) return installed;
  const stock = tf.getKernel('Sum', 'wasm');
  if (!stock) return (installed = false);
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : null;
    if (k === null) return stock.kernelFunc(args) as tf.TensorInfo;
    const backend = args.backend as unknown as WasmBackend;
    const rows = x.shape.slice(0, k).reduce((a, b) => a * b, 1);
    const kept = x.shape.slice(k);
    const out = backend.makeOutput(keepDims ? [...x.shape.slice(0, k).map(() => 1), ...kept] : kept, 'float32');
    const cols = kept.reduce((a, b) => a * b, 1);
    // Views after the allocation: growing the wasm memory detaches older ones.
    sumRows(backend.typedArrayFromHeap(x), rows, cols, backend.typedArrayFromHeap(out));
    return out;
  };
  tf.unregisterKernel('Sum', 'wasm');
  tf.registerKernel({ ...stock, kernelFunc });
  return (installed = true);
}
