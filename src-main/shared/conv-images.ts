/**
 * A convolution's filters and feature maps as pictures (chapter 8-3 of the book), for the
 * renderer's canvases and the CLI's PNG files alike: one plane per filter or map, coloured, and
 * laid out in a grid. Pure: numbers in, RGBA bytes out.
 */
import type { ConvFilters, FeatureMaps } from './predict.js';

/** A filter's kernel as one plane (kh × kw, row-major), averaged over its input channels. */
export function filterPlane(f: ConvFilters, k: number): number[] {
  const [kh, kw, inC, outC] = f.kernel;
  const out = new Array<number>(kh * kw).fill(0);
  for (let p = 0; p < kh * kw; p++) {
    for (let c = 0; c < inC; c++) out[p] += f.values[(p * inC + c) * outC + k];
    out[p] /= inC;
  }
  return out;
}

/** Feature map `k` as one plane (height × width, row-major). */
export function mapPlane(m: FeatureMaps, k: number): number[] {
  const [h, w, c] = m.size;
  const out = new Array<number>(h * w);
  for (let p = 0; p < h * w; p++) out[p] = m.values[p * c + k];
  return out;
}

/** The largest absolute value (at least a tiny positive number, so a scale is never 0). */
export function largest(values: readonly number[]): number {
  let m = 0;
  for (const v of values) if (Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? m : 1e-12;
}

/**
 * 'diverging': negative blue, 0 white, positive red, over ±limit (filter weights, as the book's
 * colour bars); 'ink': 0 white to `limit` black (activations, dark on light as the other pictures).
 */
export type Palette = 'diverging' | 'ink';

export function planeRgba(values: readonly number[], palette: Palette, limit: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const t = Math.max(-1, Math.min(1, values[i] / limit));
    let r: number, g: number, b: number;
    if (palette === 'ink') {
      const v = 255 - 255 * Math.max(0, t);
      r = v; g = v; b = v;
    } else if (t >= 0) {
      // white → red (#c0392b)
      r = 255 + (192 - 255) * t; g = 255 + (57 - 255) * t; b = 255 + (43 - 255) * t;
    } else {
      // white → blue (#1f5fbf)
      r = 255 + (31 - 255) * -t; g = 255 + (95 - 255) * -t; b = 255 + (191 - 255) * -t;
    }
    out[4 * i] = r; out[4 * i + 1] = g; out[4 * i + 2] = b; out[4 * i + 3] = 255;
  }
  return out;
}

/** How many of the maps are 0 everywhere for this input (their filter found nothing in it). */
export function silentMaps(m: FeatureMaps): number {
  let n = 0;
  for (let k = 0; k < m.size[2]; k++) if (mapPlane(m, k).every((v) => v === 0)) n++;
  return n;
}

/**
 * Planes of h × w pixels (RGBA) laid out in `cols` columns, each pixel drawn `zoom` times,
 * `gap` pixels of white between tiles: one picture (the CLI's PNG).
 */
export function tileGrid(planes: readonly Uint8ClampedArray[], h: number, w: number, cols: number, zoom: number, gap: number): { width: number; height: number; rgba: Uint8ClampedArray } {
  const rows = Math.ceil(planes.length / cols);
  const width = cols * w * zoom + (cols - 1) * gap;
  const height = rows * h * zoom + (rows - 1) * gap;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  planes.forEach((plane, k) => {
    const ox = (k % cols) * (w * zoom + gap);
    const oy = Math.floor(k / cols) * (h * zoom + gap);
    for (let y = 0; y < h * zoom; y++) {
      for (let x = 0; x < w * zoom; x++) {
        const src = (Math.floor(y / zoom) * w + Math.floor(x / zoom)) * 4;
        const dst = ((oy + y) * width + ox + x) * 4;
        for (let c = 0; c < 4; c++) rgba[dst + c] = plane[src + c];
      }
    }
  });
  return { width, height, rgba };
}
