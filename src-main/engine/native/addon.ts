/** The native engine's interface, as native/src/addon.c defines it. Handles are opaque. */
import type { FeatureArray } from '../../shared/dataset.js';

declare const handleBrand: unique symbol;
export type NativeHandle = { readonly [handleBrand]: true };

export interface NativeAddon {
  /** The best kernel table this CPU runs and all it can run ("avx512 avx2 base"). */
  info(): { kernels: string; supported: string };
  /** A net from an encodeConfig vector, on the named kernels ('' = the best). Throws why not. */
  create(config: Float64Array, kernels: string): NativeHandle;
  kernelsOf(net: NativeHandle): string;
  /** The rows the net reads; `x` holds one row of the input size per label. Kept alive by the net. */
  setData(net: NativeHandle, x: FeatureArray, y: Int32Array, scale: number): void;
  /** Copies op `op`'s kernel [in×units] and bias [units] into the net (`load`) or out of it. */
  weights(net: NativeHandle, op: number, kernel: Float32Array, bias: Float32Array | null, load: boolean): void;
  /** One step on rows order[start..start+n); out[0] = summed loss, out[1] = correct, before the update. */
  step(net: NativeHandle, order: Int32Array, start: number, n: number, out: Float64Array): void;
  /** Inference on `rows`: probs [rows.length × classes]. */
  predict(net: NativeHandle, rows: Int32Array, probs: Float32Array): void;
  dispose(net: NativeHandle): void;
}
