/**
 * Layer statistics ("inside the layers"): what each layer's activations and gradients look like
 * at the end of an epoch, on a fixed probe batch. Plain data: crosses IPC and WebSocket, stored
 * as JSON with the epoch. The engine (engine/layer-stats.ts) fills them from the tf model; the
 * numbers here are pure functions of the activation values, so any face can recompute them.
 */
import { z } from 'zod';
import { LAYER_TYPES, type LayerType } from './layers/index.js';

/** Probe samples per epoch by default (TrainingSpec.probeSize). */
export const DEFAULT_PROBE_SIZE = 256;
/** Bins of an activation histogram. */
export const HISTOGRAM_BINS = 20;
/** Layers that only move values around at inference: no statistics of their own. */
export const PASS_THROUGH_LAYERS: readonly LayerType[] = ['flatten', 'reshape', 'dropout'];
/** Sigmoid-like outputs (0..1) count as saturated below this or above 1 minus this. */
export const SATURATION_MARGIN = 0.01;

export interface LayerStat {
  /** The layer's index in spec.layers (0-based). */
  index: number;
  type: LayerType;
  /** The layer's activation function; null for a layer without one (pooling). */
  activation: string | null;
  /** Activation values seen: probe samples × the layer's output size. */
  count: number;
  mean: number;
  /** Population standard deviation. */
  sd: number;
  /** Fraction of activations exactly 0. */
  zeros: number;
  /** Fraction saturated (sigmoid/softmax below 0.01 or above 0.99, tanh beyond ±0.99); null for other activations. */
  saturated: number | null;
  /** HISTOGRAM_BINS counts over edges (HISTOGRAM_BINS + 1 values); the last bin includes its right edge. */
  histogram: { edges: number[]; counts: number[] };
  /** L2 norm of the loss gradient over the layer's weights (kernel and bias together) on the probe batch; null without weights. */
  gradNorm: number | null;
  /** L2 norm of the layer's weights; null without weights. */
  weightNorm: number | null;
  /** gradNorm / weightNorm; null without weights. */
  gradRatio: number | null;
}

/** A LayerStat as it crosses a file or a socket (JSON: a NaN arrives as null and is read back as NaN). */
export const LayerStatSchema = z.object({
  index: z.number().int().min(0).max(63),
  type: z.enum(LAYER_TYPES as [LayerType, ...LayerType[]]),
  activation: z.string().max(40).nullable(),
  count: z.number().int().min(0),
  mean: z.number().nullable().transform((v) => v ?? NaN), sd: z.number().nullable().transform((v) => v ?? NaN), zeros: z.number().nullable().transform((v) => v ?? NaN),
  saturated: z.number().nullable(), gradNorm: z.number().nullable(), weightNorm: z.number().nullable(), gradRatio: z.number().nullable(),
  histogram: z.object({
    edges: z.array(z.number().nullable().transform((v) => v ?? NaN)).max(1001),
    counts: z.array(z.number().int().min(0)).max(1000),
  }).strict().refine((h) => h.edges.length === h.counts.length + 1, 'edges must be one more than counts'),
}).strict();

/** How an activation saturates: 'unit' (0..1 outputs), 'tanh' (-1..1), or not at all. */
export function saturationKind(activation: string | null): 'unit' | 'tanh' | null {
  if (activation === 'sigmoid' || activation === 'softmax' || activation === 'hard_sigmoid') return 'unit';
  if (activation === 'tanh') return 'tanh';
  return null;
}

/** The histogram's range: the activation's own range where it has one, else the values' min..max. */
export function histogramRange(activation: string | null, min: number, max: number): [number, number] {
  const kind = saturationKind(activation);
  if (kind === 'unit') return [0, 1];
  if (kind === 'tanh') return [-1, 1];
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) return [min, min + 1];
  return [min, max];
}

/** Mean, sd, zeros, saturation and histogram of one layer's activation values. */
export function describeActivations(values: ArrayLike<number>, activation: string | null, bins = HISTOGRAM_BINS):
  Pick<LayerStat, 'count' | 'mean' | 'sd' | 'zeros' | 'saturated' | 'histogram'> {
  const n = values.length;
  let sum = 0;
  let zeros = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n ? sum / n : NaN;
  let sq = 0;
  for (let i = 0; i < n; i++) { const d = values[i] - mean; sq += d * d; }
  const kind = saturationKind(activation);
  let sat = 0;
  if (kind) {
    const hi = 1 - SATURATION_MARGIN;
    const lo = kind === 'unit' ? SATURATION_MARGIN : -hi;
    for (let i = 0; i < n; i++) { const v = values[i]; if (v < lo || v > hi) sat++; }
  }
  const [a, b] = histogramRange(activation, min, max);
  const counts = new Array<number>(bins).fill(0);
  const width = (b - a) / bins;
  for (let i = 0; i < n; i++) {
    const k = Math.floor((values[i] - a) / width);
    counts[Math.min(bins - 1, Math.max(0, k))]++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? b : a + k * width));
  return {
    count: n, mean, sd: n ? Math.sqrt(sq / n) : NaN, zeros: n ? zeros / n : NaN,
    saturated: kind ? (n ? sat / n : NaN) : null,
    histogram: { edges, counts },
  };
}
