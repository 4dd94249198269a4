/**
 * English text for the CLI and the UI's default locale. Pure functions of the structured results, so
 * a translation can replace any of them without touching the statistics.
 */
import { METRIC_INFO, type Description, type FinalMetric } from './describe.js';
import type { TTest } from './hypothesis.js';
import type { RunsNeeded } from './power.js';
import type { Verdict } from './verdict.js';
import type { Change, ComparisonWarning, DatasetMismatch } from './fairness.js';
import type { SpecValue } from './side-by-side.js';

const MINUS = '\u2212';
const DASH = '\u2014';

/** A number with an explicit sign (+ or −, none for zero once rounded). */
export function formatSigned(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  // A value that rounds to zero gets no sign: "−0.0" reads as a direction that is not there.
  if (Number(text) === 0) return text;
  return (value < 0 ? MINUS : '+') + text;
}

/** "0.873 ± 0.006", as the book prints repeated runs; just the mean for one run, a dash for none. */
export function formatMeanSd(d: Pick<Description, 'mean' | 'sd'>, digits = 3): string {
  if (d.mean === null) return DASH;
  if (d.sd === null) return d.mean.toFixed(digits);
  return `${d.mean.toFixed(digits)} ± ${d.sd.toFixed(digits)}`;
}

/** A difference of accuracies (fractions) in percentage points: 0.004 → "+0.4 pp". */
export function formatPp(difference: number, digits = 1): string {
  return `${formatSigned(difference * 100, digits)} pp`;
}

/** A difference in the metric's own unit, without the unit name: "+0.4" (pp), "−0.012", "+3.2". */
function signedInUnit(value: number, metric: FinalMetric): string {
  const unit = METRIC_INFO[metric].unit;
  if (unit === 'pp') return formatSigned(value * 100, 1);
  if (unit === 's') return formatSigned(value, 1);
  return formatSigned(value, 3);
}

/** A difference with its unit and metric: "+0.4 pp val accuracy", "−0.012 val loss", "+3.2 s training time". */
export function formatDifference(value: number, metric: FinalMetric): string {
  const unit = METRIC_INFO[metric].unit;
  const suffix = unit === 'pp' ? ' pp' : unit === 's' ? ' s' : '';
  return `${signedInUnit(value, metric)}${suffix} ${METRIC_INFO[metric].name}`;
}

/**
 * A p-value: two significant digits, "< 0.001" below that. Near α more digits are added until the
 * text falls on the same side of α as p and is not α itself, so two p-values on opposite sides of
 * the verdict never print the same (0.04996 → "0.04996", 0.050004 → "0.050004"). NaN: "n/a".
 */
export function formatPValue(p: number, alpha = 0.05): string {
  if (Number.isNaN(p)) return 'n/a';
  if (p < 0.001) return '< 0.001';
  if (p >= 0.995) return '1.00';
  let text = p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
  for (let digits = 3; digits <= 12; digits++) {
    const shown = Number(text);
    const sameSide = (p <= alpha) === (shown <= alpha);
    if (sameSide && (shown !== alpha || p === alpha)) break;
    text = p.toPrecision(digits);
  }
  return text;
}

/** "p = 0.21", "p < 0.001". */
function pText(p: number, alpha: number): string {
  const t = formatPValue(p, alpha);
  return t.startsWith('<') ? `p ${t}` : `p = ${t}`;
}

/** A test in a line: "+0.5 pp, 95% CI +0.1 to +0.9, p = 0.04". */
export function formatTest(test: TTest, metric: FinalMetric, alpha = 0.05): string {
  const unit = METRIC_INFO[metric].unit;
  const suffix = unit === 'pp' ? ' pp' : unit === 's' ? ' s' : '';
  return `${signedInUnit(test.difference, metric)}${suffix}, 95% CI ${signedInUnit(test.ciLow, metric)} to ${signedInUnit(test.ciHigh, metric)}, ${pText(test.pValue, alpha)}`;
}

const runs = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;

/** "3 runs each", or "2 and 5 runs" when the groups differ. */
function runCounts(a: number, b: number): string {
  return a === b ? `${runs(a)} each` : `${a} and ${runs(b)}`;
}

/** What more runs would do: "about 9 runs each would settle a difference this size". */
export function formatRunsNeeded(r: RunsNeeded): string {
  if (r.kind === 'estimate') return `about ${r.perGroup} runs each would settle a difference this size`;
  if (r.kind === 'more-than') return `more than ${r.limit} runs each would be needed to settle a difference this small`;
  return 'the means are equal, so no number of runs would separate them';
}

/**
 * The verdict as one English sentence, e.g. "relu − sigmoid: +0.4 pp val accuracy, 95% CI −0.3 to
 * +1.1, p = 0.21: not distinguishable with 3 runs each; about 9 runs each would settle a difference
 * this size". Uses only fields of the verdict.
 */
export function formatVerdict(v: Verdict): string {
  const head = `${v.b.label} ${MINUS} ${v.a.label}`;
  const winner = v.better === 'A' ? v.a.label : v.better === 'B' ? v.b.label : null;
  const betterWord = v.metric === 'seconds' ? 'faster' : 'better';
  const metricName = METRIC_INFO[v.metric].name;
  if (v.difference === null) {
    const empty = v.a.n === 0 ? v.a.label : v.b.label;
    return `${head}: no ${metricName} to compare: ${empty} has no finished runs`;
  }
  const diff = formatDifference(v.difference, v.metric);
  if (v.reason === 'too-few-runs') {
    return `${head}: ${diff} from ${runCounts(v.a.n, v.b.n)}: one run is not enough to compare; repeat each with more seeds (3 or more)`;
  }
  if (v.reason === 'no-spread') {
    if (!winner) {
      return `${head}: ${diff}: every run of both groups gave the same value, so they are identical`;
    }
    return `${head}: ${diff}, every run of each group gave the same value: ${winner} is ${betterWord}`;
  }
  let stats = `${diff}, 95% CI ${signedInUnit(v.ciLow!, v.metric)} to ${signedInUnit(v.ciHigh!, v.metric)}, ${pText(v.pValue!, v.alpha)}`;
  if (v.correction === 'holm' && v.adjustedPValue !== null) {
    stats += ` (Holm-adjusted ${pText(v.adjustedPValue, v.alpha)})`;
  }
  if (winner) return `${head}: ${stats}: ${winner} is ${betterWord}`;
  const more = v.runsNeeded ? `; ${formatRunsNeeded(v.runsNeeded)}` : '';
  return `${head}: ${stats}: not distinguishable with ${runCounts(v.a.n, v.b.n)}${more}`;
}

/** Spec fields by their English name in "what differs" (the UI translates by path instead). */
export const FIELD_NAMES: Readonly<Record<string, string>> = {
  'training.epochs': 'epochs',
  'training.batchSize': 'batch size',
  'training.validationSplit': 'validation share',
  'training.splitSeed': 'split seed',
  'optimizer.momentum': 'momentum',
  'optimizer.nesterov': 'Nesterov',
  'optimizer.rho': 'rho',
  'optimizer.epsilon': 'epsilon',
  'optimizer.beta1': 'beta 1',
  'optimizer.beta2': 'beta 2',
  'optimizer.centered': 'centered',
  'optimizer.initialAccumulatorValue': 'initial accumulator',
  loss: 'loss',
};

/** 48000 → "48,000". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

const shown = (v: SpecValue): string => (v === null ? '(none)' : String(v));

/** One change in English: "+ Dropout(0.3) after Dense(100, relu)", "trained on 5,000 of 48,000 samples". */
export function formatChange(c: Change): string {
  switch (c.kind) {
    case 'layerAdded': return `+ ${c.layer} ${c.after ? `after ${c.after}` : 'at the start'}`;
    case 'layerRemoved': return `− ${c.layer} ${c.after ? `(was after ${c.after})` : '(was first)'}`;
    case 'layerChanged': return `${c.from} → ${c.to}`;
    case 'input': return `input ${c.from} → ${c.to}`;
    case 'optimizer': return `optimizer ${c.from} → ${c.to}`;
    case 'field': return `${FIELD_NAMES[c.field] ?? c.field} ${shown(c.from)} → ${shown(c.to)}`;
    case 'samples': return c.of === null ? `trained on ${formatCount(c.count)} samples` : `trained on ${formatCount(c.count)} of ${formatCount(c.of)} samples`;
  }
}

const valuesOf = (vs: number[]): string => (vs.length ? vs.map(formatCount).join(' / ') : '?');

/** A fairness warning in English, one line. */
export function formatWarning(w: ComparisonWarning): string {
  const per = w.groups.map((g) => `${g.label} ${valuesOf(g.values)}`).join(', ');
  if (w.code === 'samples') return `trained on different numbers of samples (${per}${w.of ? ` of ${formatCount(w.of)}` : ''}): the difference may come from the data, not the model; train both on the same --limit`;
  if (w.code === 'split') return `validated on different samples (${per} validation samples): their val scores are not measured on the same set; use the same validation split, split seed and --limit`;
  return `trained for different numbers of epochs (${per}): the difference may come from the training time, not the model`;
}

/** The refusal, in one line. */
export function formatDatasetMismatch(m: DatasetMismatch): string {
  return `cannot compare ${m.a.label} (trained on ${m.a.dataset}) with ${m.b.label} (trained on ${m.b.dataset}): runs on different datasets are not comparable; compare runs of one dataset`;
}

/**
 * The verdict as a plain sentence, no jargon, for the top of a comparison: "relu vs sigmoid: no real
 * difference yet; about 71 runs each would be needed", "relu is better than sigmoid: +1.7 points of
 * val accuracy". The statistics follow it (formatVerdict).
 */
export function plainVerdict(v: Verdict): string {
  const vs = `${v.b.label} vs ${v.a.label}`;
  if (v.difference === null) return `${vs}: nothing to compare yet (${v.a.n === 0 ? v.a.label : v.b.label} has no finished runs)`;
  const winner = v.better === 'A' ? v.a : v.better === 'B' ? v.b : null;
  const loser = v.better === 'A' ? v.b : v.a;
  const unit = METRIC_INFO[v.metric].unit;
  const size = unit === 'pp' ? `${(Math.abs(v.difference) * 100).toFixed(1)} points of ${METRIC_INFO[v.metric].name}` : `${Math.abs(v.difference).toFixed(unit === 's' ? 1 : 3)} ${METRIC_INFO[v.metric].name}`;
  if (v.reason === 'too-few-runs') return `${vs}: one run cannot tell them apart; repeat each 3 or more times`;
  if (v.reason === 'no-spread') return winner ? `${winner.label} is ${v.metric === 'seconds' ? 'faster' : 'better'} than ${loser.label} by ${size}, in every run` : `${vs}: the same result in every run`;
  if (winner) return `${winner.label} is ${v.metric === 'seconds' ? 'faster' : 'better'} than ${loser.label} by ${size}, more than chance would give`;
  const r = v.runsNeeded;
  const more = r?.kind === 'estimate' ? `; about ${r.perGroup} runs each would be needed` : r?.kind === 'more-than' ? `; even ${r.limit} runs each might not tell` : '';
  return `${vs}: no real difference yet${more}`;
}

/** The plain lead of a comparison: one sentence per pair (two groups: one), with a caveat when they were trained differently. */
export function plainSentence(c: { verdict: Verdict | null; pairwise: { pairs: Verdict[] } | null; warnings: ComparisonWarning[] }): string {
  const pairs = c.verdict ? [c.verdict] : c.pairwise?.pairs ?? [];
  if (!pairs.length) return '';
  const text = pairs.map(plainVerdict).join('. ');
  return c.warnings.length ? `${text}. But they were not trained alike (see the warnings).` : `${text}.`;
}
