/**
 * The convolution's gradients on the wasm backend.
 *
 * Weights: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (tfjs #8474), so without this a
 * Conv2D cannot train on wasm at all.
 * im2col over the wasm heap, then one matrix product on the backend's own BatchMatMul kernel
 * (XNNPACK, with the replacement routes of wasm-kernels.ts for its transposed operand):
 *   P[(n, oh, ow), (kh, kw, ci)] = x[n, oh·sh + kh − top, ow·sw + kw − left, ci]   (0 outside)
 *   dW[(kh, kw, ci), co] = Pᵀ · dy[(n, oh, ow), co]
 * dW's rows are already in the filter's [kh, kw, ci, co] order, so the product is the answer.
 * The patches are built one batch chunk at a time and the chunks' products summed, so the scratch
 * memory stays bounded for large batches.
 *
 * Input: the backend's Conv2DBackpropInput is a scalar loop, ~5× slower than the forward
 * convolution it mirrors. For stride 1 the input gradient is itself a forward convolution (XNNPACK)
 * of dy with the filter turned 180° and its channels swapped, padded by (filter − 1 − pad):
 *   dx[n, i, j, ci] = Σ dy[n, i + top − kh, j + left − kw, co] · w[kh, kw, ci, co]
 * Other strides keep the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelConfig['kernelFunc']>[0];

/** What this kernel uses of the wasm backend (tfjs-backend-wasm's BackendWasm, not exported typed). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

/** Patches of at most this many floats per chunk (16 MiB); tests lower it to exercise chunking. */
export const CONV_LIMITS = { chunkFloats: 4 << 20 };

interface ConvGeometry {
  batch: number; inH: number; inW: number; inC: number;
  outH: number; outW: number; outC: number;
  fH: number; fW: number; sH: number; sW: number; top: number; left: number;
}

/**
 * Writes the patches of samples [n0, n1) as rows of fH·fW·inC values into `heap` at `p`.
 * `heap` is one view of the whole wasm memory and `x`, `p` are offsets in floats into it, so each
 * run of inC channels is one copyWithin (no view made per run).
 * @param x offset of [batch, inH, inW, inC] row-major
 */
export function im2col(heap: Float32Array, x: number, g: ConvGeometry, n0: number, n1: number, p: number): void {
  const run = g.inC;
  let dst = p;
  for (let n = n0; n < n1; n++) {
    const xn = x + n * g.inH * g.inW * g.inC;
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        for (let kh = 0; kh < g.fH; kh++) {
          const ih = oh * g.sH + kh - g.top;
          for (let kw = 0; kw < g.fW; kw++) {
            const iw = ow * g.sW + kw - g.left;
            if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) {
              heap.fill(0, dst, dst + run);
            } else {
              const src = xn + (ih * g.inW + iw) * g.inC;
              if (run < 8) for (let c = 0; c < run; c++) heap[dst + c] = heap[src + c];
              else heap.copyWithin(dst, src, src + run);
            }
            dst += run;
          }
        }
      }
    }
  }
}

/** A view of the whole wasm memory, and where `info`'s data starts in it (in floats). */
function heapOf(backend: WasmBackend, info: tf.TensorInfo): { heap: Float32Array; at: number } {
  const view = backend.typedArrayFromHeap(info);
  return { heap: new Float32Array(view.buffer), at: view.byteOffset / 4 };
}

function geometry(x: tf.TensorInfo, attrs: tf.Conv2DBackpropFilterAttrs): ConvGeometry {
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm: only NHWC (channels last) is implemented');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  return {
    batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, inC: info.inChannels,
    outH: info.outHeight, outW: info.outWidth, outC: info.outChannels,
    fH: info.filterHeight, fW: info.filterWidth, sH: info.strideHeight, sW: info.strideWidth,
    top: info.padInfo.top, left: info.padInfo.left,
  };
}

/** w[kh, kw, ci, co] → w'[fH−1−kh, fW−1−kw, co, ci] (both row-major). */
export function flipFilter(w: Float32Array, fH: number, fW: number, inC: number, outC: number, out: Float32Array): void {
  for (let kh = 0; kh < fH; kh++) {
    for (let kw = 0; kw < fW; kw++) {
      const src = (kh * fW + kw) * inC * outC;
      const dst = ((fH - 1 - kh) * fW + (fW - 1 - kw)) * outC * inC;
      for (let ci = 0; ci < inC; ci++) {
        for (let co = 0; co < outC; co++) out[dst + co * inC + ci] = w[src + ci * outC + co];
      }
    }
  }
}

/** Conv2DBackpropInput for stride 1 as a forward Conv2D; null where the stock kernel must do it. */
function backpropInputByConv(args: KernelArgs, conv: tf.KernelConfig): tf.TensorInfo | null {
  const backend = args.backend as unknown as WasmBackend;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const { filterHeight: fH, filterWidth: fW, inChannels: inC, outChannels: outC, padInfo } = info;
  const flipped = backend.makeOutput([fH, fW, outC, inC], 'float32');
  flipFilter(backend.typedArrayFromHeap(filter), fH, fW, inC, outC, backend.typedArrayFromHeap(flipped));
  const pad: tf.backend_util.ExplicitPadding = [[0, 0], [fH - 1 - padInfo.top, fH - 1 - padInfo.bottom], [fW - 1 - padInfo.left, fW - 1 - padInfo.right], [0, 0]];
  const dx = conv.kernelFunc({
    inputs: { x: dy, filter: flipped }, backend: args.backend,
    attrs: { strides: 1, pad, dataFormat: 'NHWC', dilations: 1, ...(attrs.dimRoundingMode ? { dimRoundingMode: attrs.dimRoundingMode } : {}) },
  }) as tf.TensorInfo;
  backend.disposeData(flipped.dataId);
  return dx;
}

let installed: boolean | null = null;

/**
 * Registers Conv2DBackpropFilter on 'wasm' once per process, when that backend lacks it.
 * @returns whether the backend has the kernel now
 */
export function installWasmConv(): boolean {
  if (installed !== null) return installed;
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return (installed = true);
  const addKernel = tf.getKernel('Add', 'wasm');
  if (!tf.getKernel('BatchMatMul', 'wasm') || !addKernel) return (installed = false);

  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as unknown as WasmBackend;
    // Looked up per call: wasm-kernels.ts may replace BatchMatMul after this is installed.
    const matMul = tf.getKernel('BatchMatMul', 'wasm')!;
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const g = geometry(x, args.attrs as unknown as tf.Conv2DBackpropFilterAttrs);
    const k = g.fH * g.fW * g.inC;
    const perSample = g.outH * g.outW;
    const chunk = Math.max(1, Math.min(g.batch, Math.floor(CONV_LIMITS.chunkFloats / (perSample * k))));
    let total: tf.TensorInfo | null = null;
    for (let n0 = 0; n0 < g.batch; n0 += chunk) {
      const n1 = Math.min(g.batch, n0 + chunk);
      const rows = (n1 - n0) * perSample;
      const patches = backend.makeOutput([rows, k], 'float32');
      // Views are taken after every allocation: growing the wasm memory detaches older ones.
      const out = heapOf(backend, patches);
      im2col(out.heap, heapOf(backend, x).at, g, n0, n1, out.at);
      // dy rows [n0·perSample, n1·perSample) are contiguous: a view on the same data with an offset
      // is not expressible as a TensorInfo, so a chunk of dy is copied unless it is all of dy.
      let dyPart = dy;
      if (n0 !== 0 || n1 !== g.batch) {
        dyPart = backend.makeOutput([rows, g.outC], 'float32');
        const all = backend.typedArrayFromHeap(dy);
        backend.typedArrayFromHeap(dyPart).set(all.subarray(n0 * perSample * g.outC, n1 * perSample * g.outC));
      }
      const dyRows = { ...dyPart, shape: [rows, g.outC] };
      const part = matMul.kernelFunc({ inputs: { a: patches, b: dyRows }, backend: args.backend, attrs: { transposeA: true, transposeB: false } }) as tf.TensorInfo;
      backend.disposeData(patches.dataId);
      if (dyPart !== dy) backend.disposeData(dyPart.dataId);
      if (total) {
        const sum = addKernel.kernelFunc({ inputs: { a: total, b: part }, backend: args.backend, attrs: {} }) as tf.TensorInfo;
        backend.disposeData(total.dataId);
        backend.disposeData(part.dataId);
        total = sum;
      } else {
        total = part;
      }
    }
    return { dataId: total!.dataId, shape: [...(args.attrs as unknown as tf.Conv2DBackpropFilterAttrs).filterShape], dtype: 'float32' };
  };
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc });

  const stockInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const conv = tf.getKernel('Conv2D', 'wasm');
  if (stockInput && conv) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({ ...stockInput, kernelFunc: (args) => backpropInputByConv(args, conv) ?? stockInput.kernelFunc(args) });
  }
  return (installed = true);
}
