import { describe, it, expect } from 'vitest';
import type { RunDetail, EpochRecord } from '../../../../src-main/shared/runs.js';
import type { Comparison } from '../../../../src-main/shared/compare.js';
import { parseModelSpec, type ModelSpecInput } from '../../../../src-main/shared/spec.js';
import {
  alignSeries, compareGroups, comparePairs, compareRuns, finalTable, flattenSpec, formatVerdict, groupRuns,
  labelGroups, specDiff, type LabeledGroup,
} from '../../../../src-main/shared/stats/index.js';

const MINUS = '\u2212';

function spec(activation: 'relu' | 'sigmoid' | 'tanh', seed: number, extra: Partial<ModelSpecInput> = {}) {
  const r = parseModelSpec({
    inputShape: [28, 28],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 100, activation }, { type: 'dense', units: 10, activation: 'softmax' }],
    training: { seed },
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.spec;
}

function epochs(n: number, base: number): EpochRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    epoch: i + 1, loss: 1 - base - i / 100, accuracy: base + i / 100, valLoss: 1.1 - base - i / 100,
    valAccuracy: base - 0.01 + i / 100, seconds: 2, samplesPerSecond: 24000,
  }));
}

interface RunInit { id: string; group?: string | null; seed?: number; valAccuracy?: number | null; valLoss?: number; activation?: 'relu' | 'sigmoid' | 'tanh'; epochs?: number }

function run(init: RunInit): RunDetail {
  const seed = init.seed ?? 1;
  const n = init.epochs ?? 3;
  const valAccuracy = init.valAccuracy === undefined ? 0.87 : init.valAccuracy;
  return {
    id: init.id, name: `run ${init.id}`, group: init.group ?? null, experiment: null, status: valAccuracy === null ? 'failed' : 'completed',
    datasetId: 'fashion-mnist', seed, backend: 'cpu', createdAt: '2026-01-01T00:00:00Z', startedAt: null, endedAt: null,
    error: null, notes: '', tags: [], trainCount: 48000, valCount: 12000, limit: null, stoppedEpoch: null, bestEpoch: null, modelEpoch: null, continuedFrom: null, device: null, backendNotes: null,
    epochsDone: valAccuracy === null ? 0 : n, trainAccuracy: valAccuracy === null ? null : valAccuracy + 0.02,
    valAccuracy, valLoss: valAccuracy === null ? null : init.valLoss ?? 0.35, seconds: valAccuracy === null ? null : 2 * n, testAccuracy: null,
    spec: spec(init.activation ?? 'relu', seed), epochs: valAccuracy === null ? [] : epochs(n, 0.8), evaluation: null, artifacts: [],
  };
}

/** A labelled group of runs, one per value, seeds from `seeds` (1, 2, 3… by default). */
function grp(key: string, values: (number | null)[], seeds = values.map((_, i) => i + 1), metric: 'valAccuracy' | 'valLoss' = 'valAccuracy'): LabeledGroup<RunDetail> {
  const runs = values.map((v, i) => run(metric === 'valAccuracy'
    ? { id: `${key}${i}`, group: key, seed: seeds[i], valAccuracy: v }
    : { id: `${key}${i}`, group: key, seed: seeds[i], valLoss: v ?? undefined }));
  return { key, label: key, runs };
}

describe('runs side by side', () => {
  it('aligns curves of different lengths by epoch, null where a run stopped', () => {
    const s = alignSeries([run({ id: 'a', epochs: 2 }), run({ id: 'b', epochs: 4 })]);
    expect(s.epochs).toEqual([1, 2, 3, 4]);
    expect(s.runs[0].values.valAccuracy).toEqual([0.79, 0.8, null, null]);
    expect(s.runs[1].values.loss.map((v) => v !== null && Number(v.toFixed(2)))).toEqual([0.2, 0.19, 0.18, 0.17]);
    expect(s.runs.map((r) => r.runId)).toEqual(['a', 'b']);
  });

  it('aligns on epoch numbers, not positions', () => {
    const a = run({ id: 'a' });
    a.epochs = a.epochs.filter((e) => e.epoch !== 2);
    const s = alignSeries([a, run({ id: 'b', epochs: 2 })]);
    expect(s.epochs).toEqual([1, 2, 3]);
    expect(s.runs[0].values.accuracy).toEqual([0.8, null, 0.8 + 2 / 100]);
    expect(s.runs[1].values.accuracy).toEqual([0.8, 0.81, null]);
  });

  it('tabulates train score, val score, val loss, epochs, seconds and backend per run', () => {
    const rows = finalTable([run({ id: 'a', valAccuracy: 0.871, valLoss: 0.36 }), run({ id: 'b', valAccuracy: null })]);
    expect(rows[0]).toEqual({ runId: 'a', name: 'run a', group: null, seed: 1, trainScore: 0.871 + 0.02, valScore: 0.871, valLoss: 0.36, epochs: 3, seconds: 6, backend: 'cpu', device: null, worker: null });
    expect(rows[1]).toMatchObject({ trainScore: null, valScore: null, valLoss: null, epochs: 0, seconds: null });
  });

  it('reports only the spec fields that differ', () => {
    const d = specDiff([{ spec: spec('relu', 1) }, { spec: spec('sigmoid', 2) }, { spec: spec('relu', 1) }]);
    expect(d).toEqual([
      { path: 'layers.1.activation', values: ['relu', 'sigmoid', 'relu'] },
      { path: 'training.seed', values: [1, 2, 1] },
    ]);
    expect(specDiff([{ spec: spec('relu', 1) }, { spec: spec('relu', 1) }])).toEqual([]);
  });

  it('shows an added layer and another optimizer as differing paths, shared values left out', () => {
    const base = spec('relu', 1);
    const other = spec('relu', 1, {
      layers: [{ type: 'flatten' }, { type: 'dense', units: 100, activation: 'relu' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 10, activation: 'softmax' }],
      optimizer: { type: 'sgd' },
    });
    const d = specDiff([{ spec: base }, { spec: other }]);
    const byPath = Object.fromEntries(d.map((x) => [x.path, x.values]));
    expect(byPath['layers.2.type']).toEqual(['dense', 'dropout']);
    expect(byPath['layers.2.rate']).toEqual([null, 0.2]);
    expect(byPath['layers.3.units']).toEqual([null, 10]);
    expect(byPath['optimizer.type']).toEqual(['rmsprop', 'sgd']);
    expect(byPath['optimizer.learningRate']).toEqual([0.001, 0.01]);
    expect(byPath['optimizer.nesterov']).toEqual([null, false]);
    // rmsprop and sgd both default momentum to 0: not a difference.
    expect(byPath['optimizer.momentum']).toBeUndefined();
    expect(byPath['layers.1.activation']).toBeUndefined();
    expect(byPath['inputShape.0']).toBeUndefined();
  });

  it('flattens a spec to dotted paths', () => {
    const f = flattenSpec(spec('tanh', 7));
    expect(f.get('layers.1.activation')).toBe('tanh');
    expect(f.get('inputShape.1')).toBe(28);
    expect(f.get('training.seed')).toBe(7);
    expect(f.get('optimizer.type')).toBe('rmsprop');
  });
});

describe('verdicts on two groups', () => {
  it('names the better group when the difference is significant', () => {
    // Welch p and CI: scipy.stats.ttest_ind(b, a, equal_var=False) with a = [0.861, 0.858, 0.864],
    // b = [0.879, 0.874, 0.881] → pvalue 0.0036633473729683853; CI by hand (df 3.872): (0.00938, 0.02462)
    const v = compareGroups(grp('sigmoid', [0.861, 0.858, 0.864]), grp('relu', [0.879, 0.874, 0.881]), 'valAccuracy');
    expect(v).toMatchObject({ significant: true, better: 'B', reason: 'compared', correction: null });
    expect(v.pValue).toBeCloseTo(0.0036633473729683853, 12);
    expect(v.paired?.test).toBe('paired');
    expect(v.pairedSeeds).toEqual([1, 2, 3]);
    // es = 0.017 / 0.0033166 = 5.13: scipy's noncentral-t power reaches 0.8 at n = 3.
    expect(v.runsNeeded).toEqual({ kind: 'estimate', perGroup: 3 });
    expect(formatVerdict(v)).toBe(`relu ${MINUS} sigmoid: +1.7 pp val accuracy, 95% CI +0.9 to +2.5, p = 0.0037: relu is better`);
  });

  it('says how many runs would settle a difference it cannot distinguish', () => {
    // scipy.stats.ttest_ind(b, a, equal_var=False), a = [0.871, 0.868, 0.877],
    // b = [0.879, 0.874, 0.881, 0.876, 0.883] → pvalue 0.10961739414144453, CI (−0.00248, 0.01568);
    // Welch's power with each group's SD → n = 8 by scipy.stats.nct (see stats-tests).
    const v = compareGroups(grp('sigmoid', [0.871, 0.868, 0.877]), grp('relu', [0.879, 0.874, 0.881, 0.876, 0.883]), 'valAccuracy');
    expect(v).toMatchObject({ significant: false, better: null, paired: null, runsNeeded: { kind: 'estimate', perGroup: 8 } });
    expect(formatVerdict(v)).toBe(
      `relu ${MINUS} sigmoid: +0.7 pp val accuracy, 95% CI ${MINUS}0.2 to +1.6, p = 0.11: not distinguishable with 3 and 5 runs; about 8 runs each would settle a difference this size`,
    );
  });

  it('rests on Welch even when the paired test over shared seeds would be significant', () => {
    // ttest_rel p = 0.0093, Welch p = 0.26 (stats-tests); es 1.077 → n = 15 by scipy.stats.nct.
    const v = compareGroups(grp('sigmoid', [0.8712, 0.868, 0.8745]), grp('relu', [0.8751, 0.8712, 0.879]), 'valAccuracy');
    expect(v.significant).toBe(false);
    expect(v.paired!.pValue).toBeCloseTo(0.00930661802098923, 10);
    expect(formatVerdict(v)).toBe(
      `relu ${MINUS} sigmoid: +0.4 pp val accuracy, 95% CI ${MINUS}0.4 to +1.2, p = 0.26: not distinguishable with 3 runs each; about 15 runs each would settle a difference this size`,
    );
  });

  it('caps the runs needed for a difference far inside the noise', () => {
    const v = compareGroups(grp('sigmoid', [0.871, 0.868, 0.877]), grp('relu', [0.872, 0.869, 0.876]), 'valAccuracy');
    expect(v.runsNeeded).toEqual({ kind: 'more-than', limit: 100 });
    expect(formatVerdict(v)).toMatch(/: not distinguishable with 3 runs each; more than 100 runs each would be needed to settle a difference this small$/);
  });

  it('knows that lower loss is better', () => {
    const v = compareGroups(grp('a', [0.4, 0.41, 0.42], undefined, 'valLoss'), grp('b', [0.3, 0.31, 0.32], undefined, 'valLoss'), 'valLoss');
    expect(v.difference!).toBeCloseTo(-0.1, 12);
    expect(v).toMatchObject({ significant: true, better: 'B', higherIsBetter: false });
    expect(formatVerdict(v)).toMatch(new RegExp(`^b ${MINUS} a: ${MINUS}0\\.100 val loss, 95% CI .*: b is better$`));
  });

  it('says one run is not enough to compare', () => {
    const v = compareGroups(grp('sigmoid', [0.87]), grp('relu', [0.879, 0.874, 0.881]), 'valAccuracy');
    expect(v).toMatchObject({ reason: 'too-few-runs', pValue: null, ciLow: null, significant: false, better: null, runsNeeded: null, welch: null });
    expect(v.a).toMatchObject({ n: 1, sd: null });
    expect(formatVerdict(v)).toBe(`relu ${MINUS} sigmoid: +0.8 pp val accuracy from 1 and 3 runs: one run is not enough to compare; repeat each with more seeds (3 or more)`);
  });

  it('handles groups that do not vary', () => {
    const apart = compareGroups(grp('sigmoid', [0.85, 0.85]), grp('relu', [0.87, 0.87]), 'valAccuracy');
    expect(apart).toMatchObject({ reason: 'no-spread', pValue: 0, significant: true, better: 'B', runsNeeded: { kind: 'estimate', perGroup: 2 } });
    expect(formatVerdict(apart)).toBe(`relu ${MINUS} sigmoid: +2.0 pp val accuracy, every run of each group gave the same value: relu is better`);
    const same = compareGroups(grp('sigmoid', [0.85, 0.85]), grp('relu', [0.85, 0.85]), 'valAccuracy');
    expect(same).toMatchObject({ reason: 'no-spread', pValue: 1, significant: false, better: null, runsNeeded: { kind: 'never' } });
  });

  it('says so when a group has no finished run', () => {
    const v = compareGroups(grp('sigmoid', [null, null]), grp('relu', [0.87, 0.88]), 'valAccuracy');
    expect(v).toMatchObject({ reason: 'no-data', difference: null, significant: false });
    expect(formatVerdict(v)).toBe(`relu ${MINUS} sigmoid: no val accuracy to compare: sigmoid has no finished runs`);
  });
});

describe('several groups', () => {
  it('compares every pair with the Holm correction', () => {
    // scipy.stats.ttest_ind(y, x, equal_var=False).pvalue, A = [0.871, 0.868, 0.877],
    // B = [0.879, 0.874, 0.881], C = [0.861, 0.858, 0.864]:
    // (A, B) 0.15324579286174736, (A, C) 0.03219882155461839, (B, C) 0.0036633473729683853.
    // Holm by hand, m = 3: BC 0.00366335·3 = 0.010990042118905156; AC 0.0321988·2 = 0.06439764310923678;
    // AB 0.1532458·1 = 0.15324579286174736 (already ≥ 0.0644). Only (B, C) stays below 0.05.
    const r = comparePairs([grp('A', [0.871, 0.868, 0.877]), grp('B', [0.879, 0.874, 0.881]), grp('C', [0.861, 0.858, 0.864])], 'valAccuracy');
    expect(r.correction).toBe('holm');
    expect(r.pairs.map((p) => [p.a.key, p.b.key])).toEqual([['A', 'B'], ['A', 'C'], ['B', 'C']]);
    const expected = [0.15324579286174736, 0.06439764310923678, 0.010990042118905156];
    r.pairs.forEach((p, i) => expect(p.adjustedPValue!).toBeCloseTo(expected[i], 12));
    expect(r.pairs[1].pValue!).toBeLessThan(0.05);
    expect(r.pairs.map((p) => p.significant)).toEqual([false, false, true]);
    expect(r.pairs[2].better).toBe('A');
    expect(r.significantPairs).toEqual([['B', 'C']]);
    expect(formatVerdict(r.pairs[1])).toContain('p = 0.032 (Holm-adjusted p = 0.064): not distinguishable with 3 runs each');
    // Runs needed at the threshold Holm held each pair to (scipy.stats.nct, Welch df): (A, C) at
    // α/2 needs 5, (A, B) at α needs 9; never 3 or fewer, which could not tell them apart.
    expect(r.pairs.map((p) => p.runsNeeded)).toEqual([{ kind: 'estimate', perGroup: 9 }, { kind: 'estimate', perGroup: 5 }, { kind: 'estimate', perGroup: 3 }]);
    expect(formatVerdict(r.pairs[1])).toMatch(/about 5 runs each would settle/);
  });
});

describe('compareRuns', () => {
  const runs = [
    ...[1, 2, 3].map((seed, i) => ({ ...run({ id: `s${seed}`, group: 'g-sig', seed, activation: 'sigmoid', valAccuracy: [0.861, 0.858, 0.864][i] }) })),
    ...[1, 2, 3].map((seed, i) => run({ id: `r${seed}`, group: 'g-relu', seed, activation: 'relu', valAccuracy: [0.879, 0.874, 0.881][i], epochs: 4 })),
  ];

  it('groups, labels from the differing spec field, describes and gives the verdict', () => {
    const c = compareRuns(runs);
    expect(c.groups.map((g) => [g.key, g.label, g.runIds.length])).toEqual([['g-sig', 'sigmoid', 3], ['g-relu', 'relu', 3]]);
    expect(c.groups[0].final.valAccuracy.mean).toBeCloseTo(0.861, 12);
    expect(c.groups[0].final.valAccuracy.sd).toBeCloseTo(0.003, 12);
    expect(c.groups[1].curves.epochs).toEqual([1, 2, 3, 4]);
    expect(c.groups[0].curves.valAccuracy.map((d) => d.n)).toEqual([3, 3, 3]);
    expect(c.groups[1].curves.loss[3]).toMatchObject({ n: 3, sd: 0 });
    expect(c.series.epochs).toEqual([1, 2, 3, 4]);
    expect(c.specDiff.map((d) => d.path)).toEqual(['layers.1.activation', 'training.seed']);
    expect(c.verdict && formatVerdict(c.verdict)).toMatch(/^relu − sigmoid: \+1\.7 pp val accuracy, .*: relu is better$/);
    expect(c.pairwise?.pairs).toHaveLength(1);
  });

  it('fits the contract and survives JSON', () => {
    const c: Comparison = compareRuns(runs, { metric: 'valLoss', labels: { 'g-sig': 'S' } });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(c.metric).toBe('valLoss');
  });

  it('treats ungrouped runs as groups of one', () => {
    const c = compareRuns([run({ id: 'x' }), run({ id: 'y', activation: 'tanh' }), run({ id: 'z', activation: 'sigmoid' })]);
    expect(c.groups.map((g) => g.label)).toEqual(['relu', 'tanh', 'sigmoid']);
    expect(c.verdict).toBeNull();
    expect(c.pairwise!.pairs.every((p) => p.reason === 'too-few-runs' && p.adjustedPValue === null)).toBe(true);
  });

  it('labels groups by the name their runs were started under when the specs do not tell them apart', () => {
    const named = (id: string, group: string, name: string, seed: number) => ({ ...run({ id, group, seed }), name: `${name} (seed ${seed})` });
    const groups = groupRuns([named('a1', 'g1', 'book-relu', 1), named('a2', 'g1', 'book-relu', 2), named('b1', 'g2', 'my-relu', 1)]);
    expect(labelGroups(groups)).toEqual(['book-relu', 'my-relu']);
  });

  it('numbers run names, never group ids, when neither the specs nor the names tell groups apart', () => {
    const same = (id: string, group: string) => ({ ...run({ id, group }), name: 'same name' });
    expect(labelGroups(groupRuns([same('x', 'g1'), same('y', 'g2')]))).toEqual(['same name', 'same name #2']);
    // A group whose runs carry different names goes by its first run's name.
    const mixed = groupRuns([{ ...run({ id: 'x', group: 'g1' }), name: 'first' }, run({ id: 'z', group: 'g1' }), { ...run({ id: 'y', group: 'g2' }), name: 'first' }]);
    expect(labelGroups(mixed)).toEqual(['first', 'first #2']);
  });

  it('labels a lone group, Korean names included, by its runs\' name', () => {
    const ko = (id: string, seed: number) => ({ ...run({ id, group: 'group-mx6fyonr', seed }), name: `한국어 시험 (seed ${seed})` });
    expect(labelGroups(groupRuns([ko('a', 1), ko('b', 2)]))).toEqual(['한국어 시험']);
  });
});
