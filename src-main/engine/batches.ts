/**
 * Building one training batch on the JavaScript side, straight from the dataset's rows, in the
 * layout the fast step wants: feature-major (`col`, [features, n]) lets the wasm backend pack the
 * batch instead of the much larger weight matrix, and saves transposing it twice per step.
 */
import type { FeatureArray } from '../shared/dataset.js';

export type Layout = 'row' | 'col';

/** A batch in host memory; buffers are reused across batches of the same size. */
export interface HostBatch {
  n: number;
  /** [n, rowSize] (row) or [rowSize, n] (col), scaled to model inputs. */
  x: Float32Array;
  /** [n, classes] one-hot. */
  oneHot: Float32Array;
  /** [n] class indices. */
  labels: Int32Array;
}

export class BatchBuilder {
  private cache = new Map<number, HostBatch>();

  constructor(
    private readonly x: FeatureArray,
    private readonly y: Int32Array,
    private readonly rowSize: number,
    private readonly classes: number,
    private readonly scale: number,
    readonly layout: Layout,
  ) {}

  /** Rows `order[start .. start + n)`. The returned buffers are overwritten by the next call. */
  fill(order: Int32Array, start: number, n: number): HostBatch {
    let b = this.cache.get(n);
    if (!b) {
      b = { n, x: new Float32Array(n * this.rowSize), oneHot: new Float32Array(n * this.classes), labels: new Int32Array(n) };
      this.cache.set(n, b);
    }
    const { x, y, rowSize, classes, scale } = this;
    const out = b.x;
    b.oneHot.fill(0);
    for (let r = 0; r < n; r++) {
      const row = order[start + r];
      const src = row * rowSize;
      if (this.layout === 'row') {
        const dst = r * rowSize;
        for (let j = 0; j < rowSize; j++) out[dst + j] = x[src + j] * scale;
      } else {
        for (let j = 0, dst = r; j < rowSize; j++, dst += n) out[dst] = x[src + j] * scale;
      }
      const label = y[row];
      b.labels[r] = label;
      b.oneHot[r * classes + label] = 1;
    }
    return b;
  }
}
