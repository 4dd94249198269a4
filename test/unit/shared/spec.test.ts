import { describe, it, expect } from 'vitest';
import { parseModelSpec, describeSpecErrors } from '../../../src-main/shared/spec.js';
import { PRESETS, findPreset } from '../../../src-main/shared/presets.js';
import { summarize, formatSummary } from '../../../src-main/shared/summary.js';

describe('ModelSpec', () => {
  it('fills in Keras defaults', () => {
    const r = parseModelSpec({ inputShape: [784], layers: [{ type: 'dense', units: 10, activation: 'softmax' }], optimizer: { type: 'adam' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.optimizer).toEqual({ type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(r.spec.training).toEqual({ epochs: 5, batchSize: 32, validationSplit: 0.2, seed: 1, splitSeed: 42 });
    expect(r.spec.layers[0]).toEqual({ type: 'dense', units: 10, activation: 'softmax', useBias: true });
  });

  it('names the path of each bad field', () => {
    const r = parseModelSpec({
      inputShape: [28, 28],
      layers: [{ type: 'flatten' }, { type: 'dense', units: -3, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmaxx' }],
      optimizer: { type: 'sgd', momentum: 2 },
      training: { epochs: 0 },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path).sort();
    expect(paths).toEqual(['layers.1.units', 'layers.2.activation', 'optimizer.momentum', 'training.epochs']);
    expect(describeSpecErrors(r.errors)).toContain('layers.1.units:');
  });

  it('rejects unknown layer types, unknown fields and a non-Dense output layer', () => {
    const r1 = parseModelSpec({ inputShape: [4], layers: [{ type: 'conv2d' }] });
    expect(r1.ok).toBe(false);
    const r2 = parseModelSpec({ inputShape: [4], layers: [{ type: 'dense', units: 2, unit: 3 }] });
    expect(!r2.ok && r2.errors[0].path).toBe('layers.0');
    const r3 = parseModelSpec({ inputShape: [4], layers: [{ type: 'dense', units: 2 }, { type: 'dropout', rate: 0.5 }] });
    expect(!r3.ok && r3.errors[0]).toEqual({ path: 'layers.1', message: 'the last layer must be Dense (the output layer)' });
  });
});

describe('presets and summary', () => {
  it('has the book\'s presets with their optimizers, and chapter 7-3 and 8\'s callbacks', () => {
    expect(PRESETS.map((p) => p.name)).toEqual(['book-sigmoid', 'book-relu', 'book-deep-sigmoid', 'book-deep-relu', 'book-sgd', 'book-momentum', 'book-nesterov', 'book-adagrad', 'book-rmsprop', 'book-adam', 'book-dropout', 'book-cnn']);
    for (const name of ['book-dropout', 'book-cnn']) {
      const t = findPreset(name)!.spec.training;
      expect(t.epochs).toBe(20);
      expect(t.earlyStopping).toEqual({ monitor: 'valLoss', patience: 2, minDelta: 0, restoreBestWeights: true });
      expect(t.checkpoint).toEqual({ monitor: 'valLoss' });
      expect(findPreset(name)!.spec.optimizer.type).toBe('adam');
    }
    expect(summarize(findPreset('book-cnn')!.spec).totalParams).toBe(333526);
    // Four hidden Dense(100): 78,500 + 3 × 10,100 + 1,010.
    for (const name of ['book-deep-sigmoid', 'book-deep-relu']) expect(summarize(findPreset(name)!.spec).totalParams).toBe(109810);
    expect(findPreset('book-deep-sigmoid')!.spec.layers.map((l) => 'activation' in l && l.activation)).toEqual(['sigmoid', 'sigmoid', 'sigmoid', 'sigmoid', 'softmax']);
    expect(findPreset('book-nesterov')!.spec.optimizer).toEqual({ type: 'sgd', learningRate: 0.01, momentum: 0.9, nesterov: true });
    expect(findPreset('book-sigmoid')!.spec.optimizer).toMatchObject({ type: 'rmsprop', learningRate: 0.001, rho: 0.9 });
  });

  it('counts parameters as Keras does: 78,500 and 1,010 for the book model', () => {
    const s = summarize(findPreset('book-relu')!.spec);
    expect(s.layers.map((l) => [l.name, l.outputShape, l.params])).toEqual([
      ['flatten', [784], 0], ['dense', [100], 78500], ['dense_1', [10], 1010],
    ]);
    expect(s.totalParams).toBe(79510);
    expect(formatSummary(s)).toContain('dense (Dense)');
    expect(formatSummary(s)).toContain('Total params: 79,510');
  });
});
