/**
 * Max pooling's gradient on the wasm backend, as TensorFlow and tfjs' cpu backend compute it.
 *
 * tfjs-backend-wasm 4.22's MaxPoolGrad routes each window's gradient to its *last* maximum and
 * none at all to a window whose values are all 0 (so a window of zeros, common after relu, is
 * skipped, and ties go elsewhere than in Keras). TensorFlow routes it to the first maximum in
 * scan order (MaxPoolWithArgmax), which the cpu backend follows; this kernel does the same, in
 * one pass over the windows: dx[argmax of window] += dy[window].
 */
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelConfig['kernelFunc']>[0];

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

export interface PoolGeometry {
  batch: number; inH: number; inW: number; channels: number;
  outH: number; outW: number; fH: number; fW: number; sH: number; sW: number; top: number; left: number;
}

/**
 * dx (zeroed by the caller) += dy routed to each window's first maximum in x.
 * @param x [batch, inH, inW, channels], dy [batch, outH, outW, channels], dx like x; row-major
 */
export function maxPoolBackprop(x: Float32Array, dy: Float32Array, dx: Float32Array, g: PoolGeometry): void {
  const { channels: c } = g;
  let o = 0;
  for (let n = 0; n < g.batch; n++) {
    const base = n * g.inH * g.inW * c;
    for (let oh = 0; oh < g.outH; oh++) {
      const h0 = oh * g.sH - g.top;
      const hFrom = Math.max(0, h0);
      const hTo = Math.min(g.inH, h0 + g.fH);
      for (let ow = 0; ow < g.outW; ow++) {
        const w0 = ow * g.sW - g.left;
        const wFrom = Math.max(0, w0);
        const wTo = Math.min(g.inW, w0 + g.fW);
        for (let ch = 0; ch < c; ch++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let h = hFrom; h < hTo; h++) {
            for (let w = wFrom; w < wTo; w++) {
              const i = base + (h * g.inW + w) * c + ch;
              if (x[i] > best) { best = x[i]; at = i; }
            }
          }
          if (at >= 0) dx[at] += dy[o];
        }
      }
    }
  }
}

let installed: boolean | null = null;

/** Registers the MaxPoolGrad above on 'wasm' (over the stock one) once per process. */
export function installWasmPool(): boolean {
  if (installed !== null) return installed;
  const stock = tf.getKernel('MaxPoolGrad', 'wasm');
  const kernelFunc = (args: KernelArgs): tf.TensorInfo => {
    const backend = args.backend as unknown as WasmBackend;
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const dx = backend.makeOutput([...input.shape], 'float32');
    // Views after the allocation: growing the wasm memory detaches older ones.
    const out = backend.typedArrayFromHeap(dx);
    out.fill(0);
    maxPoolBackprop(backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), out, {
      batch: info.batchSize, inH: info.inHeight, inW: info.inWidth, channels: info.inChannels,
      outH: info.outHeight, outW: info.outWidth, fH: info.filterHeight, fW: info.filterWidth,
      sH: info.strideHeight, sW: info.strideWidth, top: info.padInfo.top, left: info.padInfo.left,
    });
    return dx;
  };
  if (stock) tf.unregisterKernel('MaxPoolGrad', 'wasm');
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc });
  return (installed = true);
}
