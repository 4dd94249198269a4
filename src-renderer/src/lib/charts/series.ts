/**
 * Chart data shaping, kept apart from chart.js so it is plain and testable. A series is what one
 * legend entry shows; a band (mean ± sd of a group) is drawn as a shaded area behind it.
 */
import type { EpochRecord } from '../../../../src-main/shared/runs.js';

export interface Point { x: number; y: number }

export interface LineSeries {
  label: string;
  color: string;
  points: Point[];
  dashed?: boolean;
  /** Thin line with no points, e.g. batch loss between epochs. */
  thin?: boolean;
  band?: { lo: Point[]; hi: Point[] };
  /** Marked points only (no line), e.g. the best epoch. */
  marker?: boolean;
}

export type EpochMetric = 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy';

/** A palette that stays apart for the colour-blind (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#7F7F7F', '#000000'];

export function epochPoints(epochs: readonly EpochRecord[], metric: EpochMetric): Point[] {
  return epochs
    .filter((e) => Number.isFinite(e[metric]))
    .map((e) => ({ x: e.epoch, y: e[metric] }))
    .sort((a, b) => a.x - b.x);
}

export interface BatchPoint { epoch: number; batch: number; batches: number; loss: number; accuracy: number }

/** Batch loss at fractional epochs: batch 50 of 100 in epoch 2 sits at x = 1.5 (epochs count from 1). */
export function batchPoints(batches: readonly BatchPoint[], metric: 'loss' | 'accuracy'): Point[] {
  return batches
    .filter((b) => Number.isFinite(b[metric]) && b.batches > 0)
    .map((b) => ({ x: b.epoch - 1 + b.batch / b.batches, y: b[metric] }));
}

export interface EpochStat { epoch: number; mean: number; sd: number; n: number }

export function meanSd(values: readonly number[]): { mean: number; sd: number; n: number } {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, n };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  // Sample sd (n − 1), as the book's repeated runs would be summarised.
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

/** Per epoch, the mean and sd of a metric over the runs that reached that epoch. */
export function epochStats(runs: readonly (readonly EpochRecord[])[], metric: EpochMetric): EpochStat[] {
  const byEpoch = new Map<number, number[]>();
  for (const epochs of runs) for (const e of epochs) byEpoch.set(e.epoch, [...(byEpoch.get(e.epoch) ?? []), e[metric]]);
  return [...byEpoch.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, vals]) => ({ epoch, ...meanSd(vals) }));
}

export function meanSeries(label: string, color: string, stats: readonly EpochStat[], dashed = false): LineSeries {
  const ok = stats.filter((s) => Number.isFinite(s.mean));
  const withBand = ok.some((s) => s.n > 1);
  return {
    label, color, dashed,
    points: ok.map((s) => ({ x: s.epoch, y: s.mean })),
    band: withBand ? { lo: ok.map((s) => ({ x: s.epoch, y: s.mean - s.sd })), hi: ok.map((s) => ({ x: s.epoch, y: s.mean + s.sd })) } : undefined,
  };
}

/** Keeps at most `max` points, evenly spaced, always the last one: batch events add up over long runs. */
export function thin(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return [...points];
  const step = points.length / max;
  const out: Point[] = [];
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

/** A curve as the statistics module describes it: per epoch, mean and sd (null where unknown). */
export interface CurveDescription { epochs: readonly number[]; stats: readonly { mean: number | null; sd: number | null }[] }

/** A group's mean curve, with a mean ± sd band where the group has spread (two runs or more). */
export function describedSeries(label: string, color: string, c: CurveDescription, dashed = false): LineSeries {
  const rows = c.epochs.map((epoch, i) => ({ epoch, mean: c.stats[i]?.mean ?? null, sd: c.stats[i]?.sd ?? null }))
    .filter((r): r is { epoch: number; mean: number; sd: number | null } => r.mean !== null && Number.isFinite(r.mean));
  const banded = rows.filter((r) => r.sd !== null && Number.isFinite(r.sd));
  return {
    label, color, dashed,
    points: rows.map((r) => ({ x: r.epoch, y: r.mean })),
    band: banded.length > 0 ? { lo: banded.map((r) => ({ x: r.epoch, y: r.mean - r.sd! })), hi: banded.map((r) => ({ x: r.epoch, y: r.mean + r.sd! })) } : undefined,
  };
}
