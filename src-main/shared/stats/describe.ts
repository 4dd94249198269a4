/**
 * Descriptive statistics of groups of runs: n, mean, sample SD, Student's t interval, min, max, for
 * each final metric and for each epoch of each curve.
 */
import type { EpochRecord, RunDetail, RunSummary } from '../runs.js';
import { studentTQuantile } from './distribution.js';

/** The numbers of a finished run that groups are compared on (train score, val score…). */
export const FINAL_METRICS = ['trainAccuracy', 'valAccuracy', 'valLoss', 'seconds'] as const;
export type FinalMetric = (typeof FINAL_METRICS)[number];

/** The per-epoch curves of a run. */
export const CURVE_METRICS = ['loss', 'accuracy', 'valLoss', 'valAccuracy'] as const;
export type CurveMetric = (typeof CURVE_METRICS)[number];

export interface MetricInfo {
  /** English name for sentences; the UI translates by metric key instead. */
  name: string;
  higherIsBetter: boolean;
  /** How a difference is written: percentage points, plain units, or seconds. */
  unit: 'pp' | 'plain' | 's';
}

export const METRIC_INFO: Readonly<Record<FinalMetric, MetricInfo>> = {
  trainAccuracy: { name: 'train accuracy', higherIsBetter: true, unit: 'pp' },
  valAccuracy: { name: 'val accuracy', higherIsBetter: true, unit: 'pp' },
  valLoss: { name: 'val loss', higherIsBetter: false, unit: 'plain' },
  seconds: { name: 'seconds', higherIsBetter: false, unit: 's' },
};

/** Confidence level of every interval in this module. */
export const CONFIDENCE = 0.95;

/** n, mean, SD and interval of one sample; nulls where n is too small for the number to exist. */
export interface Description {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null for n < 2. */
  sd: number | null;
  /** 95% interval for the mean, Student's t with n − 1 df; null for n < 2. */
  ciLow: number | null;
  ciHigh: number | null;
  min: number | null;
  max: number | null;
}

/** Sample variance (n − 1) by two passes, which loses fewer digits than the sum-of-squares form. */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return ss / (n - 1);
}

/** Describes a sample. Missing values (null, NaN, ±Infinity) are left out: a failed run has none. */
export function describe(values: ReadonlyArray<number | null | undefined>): Description {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, ciLow: null, ciHigh: null, min: null, max: null };
  const mean = xs.reduce((s, v) => s + v, 0) / n;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (n === 1) return { n, mean, sd: null, ciLow: null, ciHigh: null, min, max };
  const sd = Math.sqrt(sampleVariance(xs));
  const half = studentTQuantile(1 - (1 - CONFIDENCE) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half, min, max };
}

/** A group: the runs of one spec over several seeds. */
export interface RunGroup<R extends RunSummary = RunDetail> {
  /** The runs' `group`, or the run id for a run that belongs to none. */
  key: string;
  runs: R[];
}

/** Groups runs by `group`, in order of first appearance; an ungrouped run is a group of one. */
export function groupRuns<R extends RunSummary>(runs: readonly R[]): RunGroup<R>[] {
  const byKey = new Map<string, R[]>();
  for (const run of runs) {
    const key = run.group ?? run.id;
    const list = byKey.get(key);
    if (list) list.push(run); else byKey.set(key, [run]);
  }
  return [...byKey].map(([key, list]) => ({ key, runs: list }));
}

/** The value of a final metric for one run, or null if the run never finished an epoch. */
export function finalValue(run: RunSummary, metric: FinalMetric): number | null {
  return run[metric];
}

export interface GroupDescription {
  key: string;
  runIds: string[];
  seeds: number[];
  final: Record<FinalMetric, Description>;
  /** Per epoch number (the union over the group's runs), one description for each curve. */
  curves: { epochs: number[] } & Record<CurveMetric, Description[]>;
}

/** Sorted union of the epoch numbers the runs completed. */
export function epochUnion(runs: ReadonlyArray<{ epochs: readonly EpochRecord[] }>): number[] {
  const set = new Set<number>();
  for (const run of runs) for (const e of run.epochs) set.add(e.epoch);
  return [...set].sort((a, b) => a - b);
}

/** A run's epochs by epoch number: runs may have thousands, so lookups must not scan. */
export function epochIndex(run: { epochs: readonly EpochRecord[] }): Map<number, EpochRecord> {
  return new Map(run.epochs.map((e) => [e.epoch, e]));
}

/** The value of a curve at an epoch, or null when the run has no such epoch. */
export function curveValue(index: ReadonlyMap<number, EpochRecord>, metric: CurveMetric, epoch: number): number | null {
  const e = index.get(epoch);
  return e ? e[metric] : null;
}

/** Describes every final metric and every epoch of every curve of a group. */
export function describeGroup(group: RunGroup<RunDetail>): GroupDescription {
  const final = Object.fromEntries(
    FINAL_METRICS.map((m) => [m, describe(group.runs.map((r) => finalValue(r, m)))]),
  ) as Record<FinalMetric, Description>;
  const epochs = epochUnion(group.runs);
  const indexes = group.runs.map(epochIndex);
  const curves = { epochs } as GroupDescription['curves'];
  for (const m of CURVE_METRICS) {
    curves[m] = epochs.map((epoch) => describe(indexes.map((ix) => curveValue(ix, m, epoch))));
  }
  return { key: group.key, runIds: group.runs.map((r) => r.id), seeds: group.runs.map((r) => r.seed), final, curves };
}
