/**
 * Comparison statistics for `compare:runs`: the service, the CLI and the renderer import this
 * module, so it is pure (no node:, no I/O). One entry point, `compareRuns`, and the pieces it uses.
 */
import type { RunDetail } from '../runs.js';
import type { Message } from '../messages.js';
import { describeGroup, groupRuns, type FinalMetric, type GroupDescription, type RunGroup } from './describe.js';
import { alignSeries, finalTable, specDiff, type AlignedSeries, type FinalRow, type SpecDifference } from './side-by-side.js';
import { comparisonWarnings, datasetMismatch, deviceNote, groupChanges, groupDevices, groupWorkers, type GroupWorker, type TrainedOn, type ComparisonWarning, type DatasetFacts, type DatasetMismatch, type GroupChanges } from './fairness.js';
import { compareGroups, comparePairs, type LabeledGroup, type PairwiseComparison, type Verdict } from './verdict.js';

export * from './distribution.js';
export * from './describe.js';
export * from './hypothesis.js';
export * from './power.js';
export * from './side-by-side.js';
export * from './verdict.js';
export * from './format.js';
export * from './fairness.js';

/**
 * Short labels for groups from what sets them apart: the spec fields (other than the seed) that
 * differ between the groups' first runs, e.g. "relu" and "sigmoid". Falls back to the group key when
 * nothing short tells them apart.
 */
export function labelGroups(groups: ReadonlyArray<RunGroup<RunDetail>>, maxFields = 2): string[] {
  const keys = groups.map((g) => g.key);
  if (groups.some((g) => g.runs.length === 0)) return keys;
  const unique = (labels: string[]) => new Set(labels).size === labels.length;
  const base = (name: string) => name.replace(/ \(seed \d+\)$/, '');
  if (groups.length >= 2) {
    const diffs = specDiff(groups.map((g) => g.runs[0])).filter((d) => d.path !== 'training.seed');
    if (diffs.length > 0 && diffs.length <= maxFields) {
      const labels = groups.map((_, i) => diffs.map((d) => String(d.values[i] ?? '(none)')).join(', '));
      if (unique(labels)) return labels;
    }
  }
  // Else the name the runs were started under ("book-relu" for "book-relu (seed 2)", "한국어 시험"),
  // never the group's id; names two groups share are told apart by a number ("relu", "relu #2").
  const names = groups.map((g) => base(g.runs[0].name) || g.key);
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} #${k}`;
  });
}

/** The whole comparison; a type alias (not an interface) so it fits the contract's `Comparison`. */
export type StatsComparison = {
  /** The final metric the verdicts compare on. */
  metric: FinalMetric;
  table: FinalRow[];
  series: AlignedSeries;
  /** Spec fields that differ between the runs (all runs, seeds included). */
  specDiff: SpecDifference[];
  /**
   * Each group with its label, the backends and devices its runs trained on, and the queue
   * workers that trained them (how many runs each; empty when this machine trained them all).
   */
  groups: (GroupDescription & { label: string; devices: TrainedOn[]; workers: GroupWorker[] })[];
  /** Exactly two groups: B (the second) against A (the first). */
  verdict: Verdict | null;
  /** Two or more groups: every pair, Holm-corrected (with two groups, the same p as the verdict). */
  pairwise: PairwiseComparison | null;
  /** Differences in training data, split or epochs: the verdicts stand, with these caveats. */
  warnings: ComparisonWarning[];
  /** What sets each group apart from the first, in words (as data: ./format.ts formatChange). */
  changes: GroupChanges[];
  /** The groups trained on different devices or backends: a note (speed differs, scores should not), not a warning. */
  deviceNote: Message | null;
};

export interface CompareOptions {
  /** Defaults to valAccuracy, the textbook's val score. */
  metric?: FinalMetric;
  /** Labels by group key; groups not named here are labelled by `labelGroups`. */
  labels?: Readonly<Record<string, string>>;
  /** The datasets the runs used, by id: names for the refusal, sizes for "N of M samples". */
  datasets?: Readonly<Record<string, DatasetFacts>>;
}

/** Runs on different datasets are not compared: the mismatch, or null when they share one. */
export function comparisonRefusal(runs: readonly RunDetail[], options: CompareOptions = {}): DatasetMismatch | null {
  // Named by their runs' names: the spec fields that would label them differ in anything here.
  const groups = groupRuns(runs);
  return datasetMismatch(groups.map((g) => ({ label: options.labels?.[g.key] ?? (g.runs[0].name.replace(/ \(seed \d+\)$/, '') || g.key), runs: g.runs })), options.datasets);
}

/**
 * Compares runs: side by side, then by group (runs sharing `group`; an ungrouped run is a group of
 * one), in the order the runs are given.
 */
export function compareRuns(runs: readonly RunDetail[], options: CompareOptions = {}): StatsComparison {
  const metric = options.metric ?? 'valAccuracy';
  const groups = groupRuns(runs);
  const auto = labelGroups(groups);
  const labeled: LabeledGroup<RunDetail>[] = groups.map((g, i) => ({ ...g, label: options.labels?.[g.key] ?? auto[i] }));
  return {
    metric,
    table: finalTable(runs),
    series: alignSeries(runs),
    specDiff: specDiff(runs),
    groups: labeled.map((g) => ({ ...describeGroup(g), label: g.label, devices: groupDevices(g.runs), workers: groupWorkers(g.runs) })),
    verdict: labeled.length === 2 ? compareGroups(labeled[0], labeled[1], metric) : null,
    pairwise: labeled.length >= 2 ? comparePairs(labeled, metric) : null,
    warnings: comparisonWarnings(labeled, options.datasets),
    changes: groupChanges(labeled, options.datasets),
    deviceNote: deviceNote(labeled),
  };
}

