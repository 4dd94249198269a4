/**
 * Is a comparison fair, and what sets its groups apart, in words. Groups trained on different
 * datasets are not compared at all (`datasetMismatch`); groups trained on different numbers of
 * samples, different validation splits or different epoch counts are compared with a warning, since
 * the difference may come from that rather than from the model. "What differs" is said as changes
 * ("+ Dropout(0.3) after Dense(100, relu)", "trained on 5,000 of 48,000 samples"), as data the CLI
 * writes in English (./format.ts formatChange) and the renderer in the user's language.
 */
import type { RunDetail } from '../runs.js';
import { message, type Message } from '../messages.js';
import { describeLayer } from '../layers/index.js';
import type { ModelSpec, OptimizerSpec } from '../spec.js';
import { flattenSpec, type SpecValue } from './side-by-side.js';

/** What the comparison knows about each dataset its runs used (the service fills it in). */
export interface DatasetFacts { name: string; trainCount: number }

/** A group as fairness sees it: its label and its runs. */
export interface FairnessGroup { label: string; runs: ReadonlyArray<Pick<RunDetail, 'datasetId' | 'trainCount' | 'valCount' | 'limit' | 'spec'>> }

/** Two groups trained on different datasets: the comparison is refused. */
export interface DatasetMismatch { a: { label: string; dataset: string }; b: { label: string; dataset: string } }

export type WarningCode = 'samples' | 'split' | 'epochs';

/**
 * A difference in how the groups were trained that is not the model: each group's values (the
 * distinct values among its runs), and for `samples` the full training split they were cut from.
 */
export interface ComparisonWarning {
  code: WarningCode;
  groups: { label: string; values: number[] }[];
  /** samples: the full training split's size (null when the dataset is unknown). */
  of?: number | null;
}

/** One thing that sets a group apart from the first group. */
export type Change =
  | { kind: 'layerAdded'; layer: string; after: string | null }
  | { kind: 'layerRemoved'; layer: string; after: string | null }
  | { kind: 'layerChanged'; from: string; to: string }
  | { kind: 'input'; from: string; to: string }
  | { kind: 'optimizer'; from: string; to: string }
  | { kind: 'field'; field: string; from: SpecValue; to: SpecValue }
  | { kind: 'samples'; count: number; of: number | null };

export interface GroupChanges { label: string; changes: Change[] }

/** The first pair of groups whose runs used different datasets, with the datasets' names; null when all share one. */
export function datasetMismatch(groups: readonly FairnessGroup[], datasets: Readonly<Record<string, DatasetFacts>> = {}): DatasetMismatch | null {
  const name = (id: string) => (datasets[id] && datasets[id].name !== id ? `${datasets[id].name} (${id})` : id);
  const first = groups.find((g) => g.runs.length)?.runs[0];
  if (!first) return null;
  const firstGroup = groups.find((g) => g.runs.includes(first))!;
  for (const g of groups) {
    for (const r of g.runs) {
      if (r.datasetId !== first.datasetId) {
        return { a: { label: firstGroup.label, dataset: name(first.datasetId) }, b: { label: g.label, dataset: name(r.datasetId) } };
      }
    }
  }
  return null;
}

/** The full training split a run's dataset gives (before --limit): the dataset's training samples less the validation share. */
function fullTrainCount(run: FairnessGroup['runs'][number], datasets: Readonly<Record<string, DatasetFacts>>): number | null {
  const d = datasets[run.datasetId];
  if (!d) return null;
  return d.trainCount - Math.round(d.trainCount * run.spec.training.validationSplit);
}

const distinct = (xs: ReadonlyArray<number | null>): number[] => [...new Set(xs.filter((x): x is number => x !== null))].sort((a, b) => a - b);

/** Differences in training data, split and epochs between (or within) the groups: each a warning. */
export function comparisonWarnings(groups: readonly FairnessGroup[], datasets: Readonly<Record<string, DatasetFacts>> = {}): ComparisonWarning[] {
  const out: ComparisonWarning[] = [];
  const check = (code: WarningCode, value: (r: FairnessGroup['runs'][number]) => number | null, extra: Partial<ComparisonWarning> = {}) => {
    const per = groups.map((g) => ({ label: g.label, values: distinct(g.runs.map(value)) }));
    const all = distinct(per.flatMap((p) => p.values));
    if (all.length > 1) out.push({ code, groups: per, ...extra });
  };
  const anyRun = groups.flatMap((g) => g.runs)[0];
  check('samples', (r) => r.trainCount, { of: anyRun ? fullTrainCount(anyRun, datasets) : null });
  // Another validation share, another split seed or a validation set cut by --limit: other samples are scored.
  const splitKey = (r: FairnessGroup['runs'][number]) => `${r.spec.training.validationSplit}/${r.spec.training.splitSeed}/${r.valCount ?? ''}`;
  const keys = new Set(groups.flatMap((g) => g.runs.map(splitKey)));
  if (keys.size > 1) out.push({ code: 'split', groups: groups.map((g) => ({ label: g.label, values: distinct(g.runs.map((r) => r.valCount)) })) });
  check('epochs', (r) => r.spec.training.epochs);
  return out;
}

/** One way a run was trained: its rung and device (either may be unknown for an old run). */
export interface TrainedOn { backend: string | null; device: string | null }

/** "webgpu (WebGPU · SwiftShader)", the rung alone when the device is unknown. */
export function trainedOnText(t: TrainedOn): string {
  return t.device ? `${t.backend ?? '?'} (${t.device})` : t.backend ?? 'unknown';
}

/** The distinct backends and devices a group's runs trained on, in the order first met. */
export function groupDevices(runs: ReadonlyArray<Pick<RunDetail, 'backend' | 'device'>>): TrainedOn[] {
  const out: TrainedOn[] = [];
  for (const r of runs) {
    if (!out.some((o) => o.backend === r.backend && o.device === r.device)) out.push({ backend: r.backend, device: r.device });
  }
  return out;
}

/** A queue worker and how many of a group's runs it trained. */
export interface GroupWorker { name: string; runs: number }

/**
 * The queue workers a group's runs trained on, with how many runs each, in the order first met;
 * empty when no run was trained by one (a local group). Runs this machine trained are not listed.
 */
export function groupWorkers(runs: ReadonlyArray<Pick<RunDetail, 'worker'>>): GroupWorker[] {
  const out: GroupWorker[] = [];
  for (const r of runs) {
    if (!r.worker) continue;
    const w = out.find((o) => o.name === r.worker!.name);
    if (w) w.runs++; else out.push({ name: r.worker.name, runs: 1 });
  }
  return out;
}

/**
 * A note (not a warning: speed differs between devices, the scores should not, within float
 * rounding) when the first group's runs and another group's trained on different backends or
 * devices; runs that recorded neither are left out. Null when every known device is the same.
 */
export function deviceNote(groups: ReadonlyArray<{ label: string; runs: ReadonlyArray<Pick<RunDetail, 'backend' | 'device'>> }>): Message | null {
  const known = groups.map((g) => ({ label: g.label, on: groupDevices(g.runs.filter((r) => r.backend !== null || r.device !== null)) })).filter((g) => g.on.length);
  const all = new Set(known.flatMap((g) => g.on.map(trainedOnText)));
  if (all.size <= 1) return null;
  const a = known[0];
  const text = (on: TrainedOn[]) => on.map(trainedOnText).join(', ');
  const b = known.find((g) => text(g.on) !== text(a.on)) ?? known.find((g) => g.on.length > 1) ?? a;
  return message('compare.devices', { a: a.label, aDevice: text(a.on), b: b.label, bDevice: text(b.on) });
}

/** "SGD(learning rate 0.01)"-like, language-neutral: the type and learning rate. */
export function describeOptimizer(o: OptimizerSpec): string {
  const names: Record<OptimizerSpec['type'], string> = { sgd: 'SGD', adagrad: 'Adagrad', adadelta: 'Adadelta', rmsprop: 'RMSprop', adam: 'Adam', adamax: 'Adamax' };
  const extra = o.type === 'sgd' && o.momentum > 0 ? `, momentum=${o.momentum}${o.nesterov ? ', nesterov' : ''}` : '';
  return `${names[o.type]}(lr=${o.learningRate}${extra})`;
}

/** Longest common subsequence of two lists of strings, as index pairs. */
function lcs(a: readonly string[], b: readonly string[]): [number, number][] {
  const m = a.length, n = b.length;
  const t: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const pairs: [number, number][] = [];
  let i = 0, j = 0;
  while (i < m && j < n) {
    if (a[i] === b[j]) { pairs.push([i, j]); i++; j++; } else if (t[i + 1][j] >= t[i][j + 1]) i++; else j++;
  }
  return pairs;
}

/**
 * The layer stacks' differences as edits: layers kept in order are matched; between two matches,
 * a removed and an added layer of the same type read as one changed layer, the rest as added or
 * removed ("after" names the layer before it, in the new stack for an added layer and in the old
 * one for a removed layer; null at the start).
 */
export function layerChanges(from: ModelSpec['layers'], to: ModelSpec['layers']): Change[] {
  const a = from.map(describeLayer), b = to.map(describeLayer);
  const pairs = [...lcs(a, b), [a.length, b.length] as [number, number]];
  const out: Change[] = [];
  let i = 0, j = 0;
  for (const [pi, pj] of pairs) {
    const removed = from.slice(i, pi).map((l, k) => ({ l, d: a[i + k], at: i + k }));
    const added = to.slice(j, pj).map((l, k) => ({ l, d: b[j + k], at: j + k }));
    // In the new stack's order: a changed layer where it now stands, a removed one before the segment.
    const segment: { pos: number; change: Change }[] = [];
    for (const r of removed) {
      const same = added.findIndex((x) => x.l.type === r.l.type);
      if (same >= 0) {
        segment.push({ pos: added[same].at, change: { kind: 'layerChanged', from: r.d, to: added[same].d } });
        added.splice(same, 1);
      } else segment.push({ pos: j - 0.5, change: { kind: 'layerRemoved', layer: r.d, after: r.at > 0 ? a[r.at - 1] : null } });
    }
    for (const x of added) segment.push({ pos: x.at, change: { kind: 'layerAdded', layer: x.d, after: x.at > 0 ? b[x.at - 1] : null } });
    out.push(...segment.sort((p, q) => p.pos - q.pos).map((s) => s.change));
    i = pi + 1; j = pj + 1;
  }
  return out;
}

/** Spec fields that are told as their own change (or not at all). */
const NOT_FIELDS = /^(layers|inputShape|optimizer)\.|^training\.seed$/;

/** What sets spec `to` apart from spec `from`, in the order a reader wants it: input, layers, optimizer, the rest. */
export function specChanges(from: ModelSpec, to: ModelSpec): Change[] {
  const out: Change[] = [];
  const inA = from.inputShape.join('×'), inB = to.inputShape.join('×');
  if (inA !== inB) out.push({ kind: 'input', from: inA, to: inB });
  out.push(...layerChanges(from.layers, to.layers));
  if (from.optimizer.type !== to.optimizer.type || from.optimizer.learningRate !== to.optimizer.learningRate) {
    out.push({ kind: 'optimizer', from: describeOptimizer(from.optimizer), to: describeOptimizer(to.optimizer) });
  } else {
    const fa = flattenSpec(from.optimizer), fb = flattenSpec(to.optimizer);
    for (const [k, v] of fb) if (fa.get(k) !== v) out.push({ kind: 'field', field: `optimizer.${k}`, from: fa.get(k) ?? null, to: v });
  }
  const fa = flattenSpec(from), fb = flattenSpec(to);
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    if (NOT_FIELDS.test(path)) continue;
    const x = fa.has(path) ? fa.get(path)! : null, y = fb.has(path) ? fb.get(path)! : null;
    if (x !== y) out.push({ kind: 'field', field: path, from: x, to: y });
  }
  return out;
}

/**
 * Each group's changes against the first group (the first group: only its own facts), plus, for
 * any group trained on fewer samples than the full split, "trained on N of M samples".
 */
export function groupChanges(groups: readonly FairnessGroup[], datasets: Readonly<Record<string, DatasetFacts>> = {}): GroupChanges[] {
  const base = groups[0]?.runs[0];
  return groups.map((g, gi) => {
    const run = g.runs[0];
    const changes: Change[] = run && base && gi > 0 ? specChanges(base.spec, run.spec) : [];
    if (run && run.trainCount !== null) {
      const of = fullTrainCount(run, datasets);
      if (run.limit !== null || (of !== null && run.trainCount < of)) changes.push({ kind: 'samples', count: run.trainCount, of });
    }
    return { label: g.label, changes };
  });
}
