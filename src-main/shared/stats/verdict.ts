/**
 * The verdict on two groups, as data: every number the sentence uses is here, so the UI can write
 * it in any language (format.ts writes the English one). Several groups: all pairs, Holm-corrected.
 */
import type { RunSummary } from '../runs.js';
import { describe, finalValue, METRIC_INFO, type FinalMetric, type RunGroup } from './describe.js';
import {
  ALPHA, holmAdjust, holmThresholds, pairBySeed, pairedTest, welchTest, type TTest,
} from './hypothesis.js';
import { runsNeeded, type RunsNeeded } from './power.js';

/** A group as a verdict names it. */
export interface VerdictSide {
  key: string;
  label: string;
  /** Runs with a value for the metric (a failed run has none). */
  n: number;
  mean: number | null;
  sd: number | null;
}

/**
 * Why the verdict is what it is. `compared`: a t-test ran. `no-spread`: neither group varies, so the
 * difference is exact. `too-few-runs`: a group has one run, which has no SD. `no-data`: a group has
 * no finished run.
 */
export type VerdictReason = 'compared' | 'no-spread' | 'too-few-runs' | 'no-data';

export interface Verdict {
  metric: FinalMetric;
  higherIsBetter: boolean;
  a: VerdictSide;
  b: VerdictSide;
  /** mean(B) − mean(A); null when a group has no value. */
  difference: number | null;
  /** 95% Welch interval of the difference. */
  ciLow: number | null;
  ciHigh: number | null;
  /** Welch's two-sided p, before any correction. */
  pValue: number | null;
  /** Set when the verdict is one of several pairs: the method and the adjusted p it rests on. */
  correction: 'holm' | null;
  adjustedPValue: number | null;
  alpha: number;
  /** p (adjusted, if corrected) ≤ α. */
  significant: boolean;
  /** The group with the better mean when significant (lower is better for loss and seconds). */
  better: 'A' | 'B' | null;
  reason: VerdictReason;
  /** The test the verdict rests on. */
  welch: TTest | null;
  /** Shown beside Welch when both groups ran the same seeds; see compareGroups for why not instead. */
  paired: TTest | null;
  pairedSeeds: number[] | null;
  /**
   * Runs per group for 80% power of the verdict's own test (Welch, at α or, for one of several
   * pairs, Holm's threshold for it) if the observed difference and SDs were the truth. When the
   * verdict could not tell the groups apart it is always more than the runs each group has.
   */
  runsNeeded: RunsNeeded | null;
}

/** A group to compare, with the label sentences use for it (e.g. "relu"). */
export interface LabeledGroup<R extends RunSummary = RunSummary> extends RunGroup<R> {
  label: string;
}

function side(group: LabeledGroup, values: readonly number[]): VerdictSide {
  const d = describe(values);
  return { key: group.key, label: group.label, n: d.n, mean: d.mean, sd: d.sd };
}

/** Significance, the better group and the runs needed, at the level `alpha` the verdict is held to. */
function decide(v: Verdict, p: number | null, alpha: number): Pick<Verdict, 'significant' | 'better' | 'runsNeeded'> {
  const significant = p !== null && p <= v.alpha && v.difference !== null && v.difference !== 0;
  const needed = v.difference !== null && v.a.sd !== null && v.b.sd !== null
    ? runsNeeded(v.difference, v.a.sd, v.b.sd, { alpha, atLeast: significant ? 2 : Math.max(v.a.n, v.b.n) + 1 })
    : null;
  if (!significant) return { significant: false, better: null, runsNeeded: needed };
  const bHigher = v.difference! > 0;
  return { significant, better: bHigher === v.higherIsBetter ? 'B' : 'A', runsNeeded: needed };
}

/**
 * Compares group B with group A on one final metric. The verdict rests on Welch's test even when the
 * groups share seeds: a seed pairs the data order and the split, but two different specs draw
 * different initial weights from it, so the pairing is weak and choosing the test after seeing both
 * p-values would bias the verdict. The paired test is reported beside it.
 */
export function compareGroups(a: LabeledGroup, b: LabeledGroup, metric: FinalMetric): Verdict {
  const seeded = (g: LabeledGroup) => g.runs.map((r) => ({ seed: r.seed, value: finalValue(r, metric) }));
  const valuesOf = (g: LabeledGroup) => seeded(g).map((x) => x.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const xa = valuesOf(a);
  const xb = valuesOf(b);
  const sa = side(a, xa);
  const sb = side(b, xb);
  const difference = sa.mean !== null && sb.mean !== null ? sb.mean - sa.mean : null;
  const welch = welchTest(xa, xb);
  const pairs = pairBySeed(seeded(a), seeded(b));
  const paired = pairs ? pairedTest(pairs.a, pairs.b) : null;
  let reason: VerdictReason;
  if (difference === null) reason = 'no-data';
  else if (!welch) reason = 'too-few-runs';
  else reason = welch.zeroSpread ? 'no-spread' : 'compared';
  const v: Verdict = {
    metric,
    higherIsBetter: METRIC_INFO[metric].higherIsBetter,
    a: sa,
    b: sb,
    difference,
    ciLow: welch?.ciLow ?? null,
    ciHigh: welch?.ciHigh ?? null,
    pValue: welch?.pValue ?? null,
    correction: null,
    adjustedPValue: null,
    alpha: ALPHA,
    significant: false,
    better: null,
    reason,
    welch,
    paired,
    pairedSeeds: paired ? pairs!.seeds : null,
    runsNeeded: null,
  };
  return { ...v, ...decide(v, v.pValue, ALPHA) };
}

export interface PairwiseComparison {
  metric: FinalMetric;
  correction: 'holm';
  alpha: number;
  /** Every pair (i < j) of the groups in the order given, B = the later group. */
  pairs: Verdict[];
  /** The pairs still significant after the correction, as [key of A, key of B]. */
  significantPairs: [string, string][];
}

/**
 * All pairwise comparisons of several groups, with Holm–Bonferroni adjusted p-values. Each verdict's
 * `significant` and `better` follow the adjusted p; `pValue` keeps the raw one.
 */
export function comparePairs(groups: readonly LabeledGroup[], metric: FinalMetric): PairwiseComparison {
  const raw: Verdict[] = [];
  for (let i = 0; i < groups.length; i++) {
    for (let j = i + 1; j < groups.length; j++) raw.push(compareGroups(groups[i], groups[j], metric));
  }
  const adjusted = holmAdjust(raw.map((v) => v.pValue));
  const thresholds = holmThresholds(raw.map((v) => v.pValue));
  const pairs = raw.map((v, k) => {
    const corrected: Verdict = { ...v, correction: 'holm', adjustedPValue: adjusted[k] };
    return { ...corrected, ...decide(corrected, adjusted[k], thresholds[k] ?? ALPHA) };
  });
  return {
    metric,
    correction: 'holm',
    alpha: ALPHA,
    pairs,
    significantPairs: pairs.filter((v) => v.significant).map((v) => [v.a.key, v.b.key]),
  };
}
