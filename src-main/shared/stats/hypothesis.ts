/**
 * Tests between two groups: Welch's t-test, the paired t-test over shared seeds, and the
 * Holm–Bonferroni correction for several pairs.
 */
import { studentTQuantile, studentTTwoSided } from './distribution.js';
import { CONFIDENCE, sampleVariance } from './describe.js';

/** Significance level of every test here (two-sided). */
export const ALPHA = 0.05;

/**
 * A t-test of B − A. Values are JSON-safe (no Infinity: WebSocket clients get JSON): when neither
 * group varies at all, `t` and `df` are null, the interval is the difference itself and the p-value
 * is the limit of the test (0 for a difference, 1 for none), flagged by `zeroSpread`.
 */
export interface TTest {
  test: 'welch' | 'paired';
  /** Welch: [n of A, n of B]; paired: [pairs, pairs]. */
  n: [number, number];
  /** Mean of B − mean of A (Welch) or mean of the per-seed differences B − A (paired). */
  difference: number;
  /** Standard error of the difference. */
  se: number;
  t: number | null;
  /** Welch–Satterthwaite df (fractional) or pairs − 1. */
  df: number | null;
  ciLow: number;
  ciHigh: number;
  /** Two-sided. */
  pValue: number;
  zeroSpread: boolean;
}

function finishTest(test: TTest['test'], n: [number, number], difference: number, se: number, df: number): TTest {
  // A NaN or an infinity among the values: no test exists. scipy's ttest_ind/ttest_rel answer nan
  // (nan_policy='propagate'); a p of 0 here once read as "certainly different".
  if (!Number.isFinite(difference) || !Number.isFinite(se)) {
    return { test, n, difference: Number.NaN, se: Number.NaN, t: null, df: null, ciLow: Number.NaN, ciHigh: Number.NaN, pValue: Number.NaN, zeroSpread: false };
  }
  if (se === 0 || !Number.isFinite(df)) {
    return { test, n, difference, se: 0, t: null, df: null, ciLow: difference, ciHigh: difference, pValue: difference === 0 ? 1 : 0, zeroSpread: true };
  }
  const t = difference / se;
  const half = studentTQuantile(1 - (1 - CONFIDENCE) / 2, df) * se;
  return { test, n, difference, se, t, df, ciLow: difference - half, ciHigh: difference + half, pValue: studentTTwoSided(t, df), zeroSpread: false };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

/**
 * Welch's t-test of B − A (unequal variances, Welch–Satterthwaite df): the same numbers as
 * scipy.stats.ttest_ind(b, a, equal_var=False). Null when either group has fewer than 2 values.
 */
export function welchTest(a: readonly number[], b: readonly number[]): TTest | null {
  if (a.length < 2 || b.length < 2) return null;
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se2 = va + vb;
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return finishTest('welch', [a.length, b.length], mean(b) - mean(a), Math.sqrt(se2), df);
}

/**
 * The paired t-test of B − A over values aligned by index (the same seed): the same numbers as
 * scipy.stats.ttest_rel(b, a). Null with fewer than 2 pairs or unequal lengths.
 */
export function pairedTest(a: readonly number[], b: readonly number[]): TTest | null {
  if (a.length !== b.length || a.length < 2) return null;
  const d = a.map((x, i) => b[i] - x);
  const se = Math.sqrt(sampleVariance(d) / d.length);
  return finishTest('paired', [d.length, d.length], mean(d), se, d.length - 1);
}

/** A value with the seed of the run it came from. */
export interface SeededValue { seed: number; value: number | null }

/**
 * Pairs two groups by seed, when they share exactly the same seeds (each once, every run with a
 * value); otherwise null, because pairing a subset would quietly drop runs from the comparison.
 */
export function pairBySeed(a: readonly SeededValue[], b: readonly SeededValue[]): { seeds: number[]; a: number[]; b: number[] } | null {
  const index = (xs: readonly SeededValue[]): Map<number, number> | null => {
    const m = new Map<number, number>();
    for (const x of xs) {
      if (x.value === null || !Number.isFinite(x.value) || m.has(x.seed)) return null;
      m.set(x.seed, x.value);
    }
    return m;
  };
  const ma = index(a);
  const mb = index(b);
  if (!ma || !mb || ma.size !== mb.size || ma.size < 2) return null;
  const seeds = [...ma.keys()].sort((x, y) => x - y);
  if (!seeds.every((s) => mb.has(s))) return null;
  return { seeds, a: seeds.map((s) => ma.get(s)!), b: seeds.map((s) => mb.get(s)!) };
}

/**
 * Holm–Bonferroni adjusted p-values, in the order given. Nulls and NaNs (tests that could not be run)
 * are not part of the family and stay null. A pair is significant after correction when its adjusted p ≤ α.
 */
export function holmAdjust(pValues: ReadonlyArray<number | null>): (number | null)[] {
  const present = pValues
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null && !Number.isNaN(x.p))
    .sort((x, y) => x.p - y.p);
  const m = present.length;
  const out: (number | null)[] = pValues.map(() => null);
  let running = 0;
  present.forEach(({ p, i }, rank) => {
    // Step-down: the adjusted values must not decrease along the sorted order.
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}

/**
 * The significance level a pair's verdict is held to: α alone, or for one of several pairs Holm's
 * threshold at that pair's rank among the raw p-values (α/m for the smallest, … α for the largest).
 * "Runs needed" uses the same level, so it never promises what the verdict would not grant.
 */
export function holmThresholds(pValues: ReadonlyArray<number | null>, alpha = ALPHA): (number | null)[] {
  const present = pValues
    .map((p, i) => ({ p, i }))
    .filter((x): x is { p: number; i: number } => x.p !== null && !Number.isNaN(x.p))
    .sort((x, y) => x.p - y.p);
  const out: (number | null)[] = pValues.map(() => null);
  present.forEach(({ i }, rank) => { out[i] = alpha / (present.length - rank); });
  return out;
}

/** Pooled SD of two groups (the common SD of the textbook power formula). */
export function pooledSd(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 2 || b.length < 2) return null;
  const ss = (a.length - 1) * sampleVariance(a) + (b.length - 1) * sampleVariance(b);
  return Math.sqrt(ss / (a.length + b.length - 2));
}
