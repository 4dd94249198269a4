/**
 * TensorFlow Playground's 2D classification sets (circle, xor, gaussian, spiral), seeded, with the
 * Playground's own geometry: points in [-6, 6]², two classes, noise scaled as there.
 */
import { mulberry32 } from '../../shared/random.js';

export const SYNTHETIC_KINDS = ['circle', 'xor', 'gaussian', 'spiral'] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

export interface SyntheticSet {
  /** [samples, 2] float32 row-major (x, y). */
  x: Float32Array;
  /** [samples] class 0 or 1. */
  y: Int32Array;
  count: number;
}

function gaussian(rand: () => number): number {
  // Box–Muller: two uniforms → one standard normal.
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function generateSynthetic(kind: SyntheticKind, samples = 500, noise = 0.1, seed = 1): SyntheticSet {
  const rand = mulberry32(seed);
  const uniform = (a: number, b: number) => a + (b - a) * rand();
  const x = new Float32Array(samples * 2);
  const y = new Int32Array(samples);
  const put = (i: number, px: number, py: number, label: number) => { x[2 * i] = px; x[2 * i + 1] = py; y[i] = label; };
  const half = Math.floor(samples / 2);
  for (let i = 0; i < samples; i++) {
    const label = i < half ? 0 : 1;
    switch (kind) {
      case 'circle': {
        const radius = 5;
        const r = label === 0 ? uniform(0, radius * 0.5) : uniform(radius * 0.7, radius);
        const angle = uniform(0, 2 * Math.PI);
        put(i, r * Math.sin(angle) + uniform(-radius, radius) * noise, r * Math.cos(angle) + uniform(-radius, radius) * noise, label);
        break;
      }
      case 'xor': {
        const padding = 0.3;
        let px = uniform(-5, 5);
        let py = uniform(-5, 5);
        px += px > 0 ? padding : -padding;
        py += py > 0 ? padding : -padding;
        const nx = px + uniform(-5, 5) * noise;
        const ny = py + uniform(-5, 5) * noise;
        put(i, nx, ny, px * py >= 0 ? 0 : 1);
        break;
      }
      case 'gaussian': {
        const c = label === 0 ? 2 : -2;
        const variance = 0.5 + noise * 3.5;
        put(i, c + gaussian(rand) * Math.sqrt(variance), c + gaussian(rand) * Math.sqrt(variance), label);
        break;
      }
      case 'spiral': {
        const j = label === 0 ? i : i - half;
        const n = label === 0 ? half : samples - half;
        const r = (j / n) * 5;
        const t = 1.75 * (j / n) * 2 * Math.PI + (label === 0 ? 0 : Math.PI);
        put(i, r * Math.sin(t) + uniform(-1, 1) * noise, r * Math.cos(t) + uniform(-1, 1) * noise, label);
        break;
      }
    }
  }
  return { x, y, count: samples };
}
