import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src-main/shared/stats/index.js';
import { formatVerdict } from '../../../src-main/shared/stats/format.js';
import type { RunDetail } from '../../../src-main/shared/runs.js';
import { PRESETS } from '../../../src-main/shared/presets.js';
import { verdictText } from '../../../src-renderer/src/lib/verdict-text.js';
import { translate } from '../../../src-renderer/src/i18n/translate.js';

function run(id: string, group: string, activation: 'relu' | 'sigmoid', seed: number, val: number): RunDetail {
  const base = PRESETS[1].spec;
  const spec = { ...base, layers: base.layers.map((l, i) => (i === 1 && l.type === 'dense' ? { ...l, activation } : l)), training: { ...base.training, seed } };
  return {
    id, name: id, group, experiment: null, status: 'completed', datasetId: 'fashion-mnist', seed, backend: 'cpu', createdAt: '', startedAt: null, endedAt: null,
    error: null, notes: '', tags: [], trainCount: 100, valCount: 25, limit: null, epochsDone: 1, trainAccuracy: val + 0.01, valAccuracy: val, valLoss: 1 - val,
    seconds: 1, testAccuracy: null, stoppedEpoch: null, bestEpoch: null, modelEpoch: null, continuedFrom: null, device: null, backendNotes: null, spec, evaluation: null, artifacts: [],
    epochs: [{ epoch: 1, loss: 1 - val, accuracy: val + 0.01, valLoss: 1 - val, valAccuracy: val, seconds: 1, samplesPerSecond: 100 }],
  };
}

describe('the verdict in words', () => {
  const c = compareRuns([
    run('s1', 'sigmoid', 'sigmoid', 1, 0.871), run('s2', 'sigmoid', 'sigmoid', 2, 0.875), run('s3', 'sigmoid', 'sigmoid', 3, 0.876),
    run('r1', 'relu', 'relu', 1, 0.877), run('r2', 'relu', 'relu', 2, 0.867), run('r3', 'relu', 'relu', 3, 0.882),
  ]);

  it('says in English what the stats module says (same numbers and labels)', () => {
    const v = c.verdict!;
    const text = verdictText(v, (k, p) => translate('en', k, p));
    expect(text).toContain('relu − sigmoid');
    // Same difference, interval and p as the CLI's sentence.
    for (const piece of formatVerdict(v).match(/[+−]?\d+\.\d+|p [=<] [\d.]+/g) ?? []) expect(text).toContain(piece);
  });

  it('has a Korean sentence with the book’s word for the val score', () => {
    const text = verdictText(c.verdict!, (k, p) => translate('ko', k, p));
    expect(text).toContain('검증 세트 점수');
    expect(text).toContain('95% 신뢰구간');
  });
});
