import { describe, expect, it } from 'vitest';
import { defaultDraft, draftFromSpec, experimentFields, fillFields, moveItem, optimizerDefaults, parseShape, restoreDraft, toSpecInput, traceDraft, validateDraft, validateRepeats } from '../../../src-renderer/src/lib/spec-draft.js';
import { issueText } from '../../../src-renderer/src/lib/issues.js';
import { diffSpecs } from '../../../src-renderer/src/lib/spec-diff.js';
import { clock, etaSeconds, parseTags, parseValue, runFraction } from '../../../src-renderer/src/lib/format.js';
import { activate } from '../../../src-renderer/src/lib/activations.js';
import { translate } from '../../../src-renderer/src/i18n/translate.js';
import { PRESETS } from '../../../src-main/shared/presets.js';
import { summarize } from '../../../src-main/shared/summary.js';

const tEn = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('en', k, p);

describe('the model draft', () => {
  it('starts as the book’s relu model: 79,510 params', () => {
    const r = validateDraft(defaultDraft());
    expect(r.ok).toBe(true);
    if (r.ok) expect(summarize(r.spec).totalParams).toBe(79510);
  });

  it('round-trips every preset', () => {
    for (const p of PRESETS) {
      const r = validateDraft(draftFromSpec(p.spec));
      expect(r.ok, p.name).toBe(true);
      if (r.ok) expect(r.spec).toEqual(p.spec);
    }
  });

  it('names bad fields by path, in words a learner can act on', () => {
    const d = defaultDraft();
    d.layers[1].values.units = null;
    d.layers[2].type = 'dropout';
    fillFields(d.layers[2]);
    d.training.validationSplit = 0.95;
    d.inputShape = '28, a';
    const r = validateDraft(d);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.issues.map((i) => [i.path, issueText(i, tEn)]));
    expect(byPath['layers.1.units']).toBe('Enter a number.');
    expect(byPath['training.validationSplit']).toBe('Must be at most 0.9.');
    expect(byPath['inputShape.1']).toBe('Enter a number.');
    expect(byPath['layers.2']).toBe('The last layer must be Dense (the output layer).');
  });

  it('judges the repeats (seeds) by the run contract’s own bound, in words in both languages', () => {
    expect(validateRepeats(1)).toEqual([]);
    expect(validateRepeats(100)).toEqual([]);
    const said = (v: number | null) => validateRepeats(v).map((i) => `${i.path}: ${issueText(i, tEn)}`);
    expect(said(0)).toEqual(['repeat: Must be at least 1.']);
    expect(said(101)).toEqual(['repeat: Must be at most 100.']);
    expect(said(2.5)).toEqual(['repeat: Enter a whole number.']);
    expect(said(null)).toEqual(['repeat: Enter a number.']);
    expect(validateRepeats(101).map((i) => issueText(i, (k, p) => translate('ko', k, p)))).toEqual(['100 이하여야 합니다.']);
  });

  it('words every count field (epochs, batch size, units, repeats) alike: “at least 1” in both languages', () => {
    const d = defaultDraft();
    d.training.epochs = 0;
    d.training.batchSize = 0;
    d.layers[1].values.units = 0;
    const r = validateDraft(d);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const tKo = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('ko', k, p);
    const said = (t: typeof tEn) => Object.fromEntries([...r.issues, ...validateRepeats(0)].map((i) => [i.path, issueText(i, t)]));
    expect(said(tEn)).toEqual({ 'training.epochs': 'Must be at least 1.', 'training.batchSize': 'Must be at least 1.', 'layers.1.units': 'Must be at least 1.', repeat: 'Must be at least 1.' });
    expect(new Set(Object.values(said(tKo)))).toEqual(new Set(['1 이상이어야 합니다.']));
  });

  it('sends only the fields of each layer’s current type', () => {
    const d = defaultDraft();
    d.layers[1].type = 'dropout';
    fillFields(d.layers[1]);
    expect((toSpecInput(d).layers as unknown[])[1]).toEqual({ type: 'dropout', rate: 0.3 });
    d.layers[1].type = 'dense';
    expect((toSpecInput(d).layers as unknown[])[1]).toEqual({ type: 'dense', units: 100, activation: 'relu', useBias: true });
  });

  it('reads Keras’ optimizer defaults from the schema', () => {
    expect(optimizerDefaults('sgd')).toEqual({ type: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
    expect(optimizerDefaults('adam')).toMatchObject({ learningRate: 0.001, beta1: 0.9, beta2: 0.999 });
  });

  it('restores saved JSON, and falls back to the default on junk', () => {
    const d = defaultDraft();
    d.training.epochs = 2;
    expect(restoreDraft(JSON.stringify(d)).training.epochs).toBe(2);
    expect(restoreDraft('{oops').layers).toHaveLength(3);
    expect(restoreDraft(null).inputShape).toBe('28, 28');
  });

  it('restores a model saved before the layer registry (fields at the top level)', () => {
    const old = { inputShape: '784', layers: [{ key: 1, type: 'dense', units: 64, activation: 'tanh', useBias: false, rate: 0.3 }, { key: 2, type: 'dense', units: 10, activation: 'softmax', useBias: true, rate: 0.3 }, { key: 3, type: 'nope' }], optimizer: { type: 'adam' }, training: {} };
    const d = restoreDraft(JSON.stringify(old));
    expect(d.layers).toHaveLength(2);
    expect(toSpecInput(d).layers).toEqual([{ type: 'dense', units: 64, activation: 'tanh', useBias: false }, { type: 'dense', units: 10, activation: 'softmax', useBias: true }]);
  });

  it('shows each layer’s output shape as the learner types, up to the first layer that does not parse', () => {
    const d = defaultDraft();
    expect(traceDraft(d)).toEqual([{ shape: [784], params: 0 }, { shape: [100], params: 78500 }, { shape: [10], params: 1010 }]);
    d.layers[2].values.units = 5;
    d.layers[1].values.units = null;
    expect(traceDraft(d)).toEqual([{ shape: [784], params: 0 }, null, null]);
    d.inputShape = '28, a';
    expect(traceDraft(d)).toEqual([null, null, null]);
  });

  it('parses shapes and moves items', () => {
    expect(parseShape('28 x 28')).toEqual([28, 28]);
    expect(parseShape('784,')).toEqual([784]);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });
});

describe('small helpers', () => {
  it('diffs specs by dotted path, ignoring the seed', () => {
    const a = PRESETS[1].spec;
    const b = { ...a, layers: a.layers.map((l, i) => (i === 1 && l.type === 'dense' ? { ...l, activation: 'sigmoid' as const } : l)), training: { ...a.training, seed: 9 } };
    expect(diffSpecs([a, b])).toEqual([{ path: 'layers.1.activation', values: ['relu', 'sigmoid'] }]);
  });

  it('estimates time left and prints clocks', () => {
    expect(etaSeconds(0.25, 10)).toBe(30);
    expect(etaSeconds(0, 10)).toBeNull();
    expect(clock(75)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
    expect(runFraction(1, 4, 50, 100)).toBeCloseTo(0.375);
  });

  it('parses what a learner types', () => {
    expect(parseValue(' 0.5 ')).toBe(0.5);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('relu')).toBe('relu');
    expect(parseTags('a, b,,a , c')).toEqual(['a', 'b', 'c']);
  });

  it('draws the activations’ known shapes', () => {
    expect(activate('relu', -2)).toBe(0);
    expect(activate('sigmoid', 0)).toBe(0.5);
    expect(activate('tanh', 0)).toBe(0);
    expect(activate('relu6', 10)).toBe(6);
  });
});

describe('experiments on chapter 7-3 and 8 models', () => {
  it('offer the new fields (filters, kernel size, pool size, dropout rate, patience), and each variant parses', async () => {
    const { applyChange } = await import('../../../src-main/service/experiments.js');
    const { parseModelSpec } = await import('../../../src-main/shared/spec.js');
    const { findPreset } = await import('../../../src-main/shared/presets.js');
    const cnn = findPreset('book-cnn')!.spec;
    const fields = experimentFields(draftFromSpec(cnn));
    expect(fields).toEqual(expect.arrayContaining(['layers.0.filters', 'layers.0.kernelSize', 'layers.1.poolSize', 'layers.6.rate', 'training.earlyStopping.patience']));
    expect(fields.some((f) => f.startsWith('layers.7.'))).toBe(false);
    const vary = (path: string, value: unknown) => parseModelSpec(applyChange(cnn, path, value, 'v'));
    const five = vary('layers.0.kernelSize', 5);
    expect(five.ok && five.spec.layers[0]).toMatchObject({ kernelSize: [5, 5] });
    const p3 = vary('training.earlyStopping.patience', 3);
    expect(p3.ok && p3.spec.training.earlyStopping?.patience).toBe(3);
    expect(vary('layers.2.filters', 16).ok).toBe(true);
    expect(vary('layers.6.rate', 0.2).ok).toBe(true);
    const tooBig = vary('layers.1.poolSize', 40);
    expect(!tooBig.ok && tooBig.errors[0].path).toBe('layers.1');
  });
});
