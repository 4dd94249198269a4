import { describe, it, expect } from 'vitest';
import type { RunDetail } from '../../../../src-main/shared/runs.js';
import { parseModelSpec, type ModelSpecInput } from '../../../../src-main/shared/spec.js';
import {
  compareRuns, comparisonRefusal, formatChange, groupWorkers, formatDatasetMismatch, formatWarning, layerChanges, plainSentence, specChanges,
} from '../../../../src-main/shared/stats/index.js';

function spec(input: Partial<ModelSpecInput> = {}) {
  const r = parseModelSpec({
    inputShape: [28, 28],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 100, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
    ...input,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.spec;
}

const DROPOUT = spec({ layers: [{ type: 'flatten' }, { type: 'dense', units: 100, activation: 'relu' }, { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 10, activation: 'softmax' }] });

function run(id: string, group: string, seed: number, over: Partial<RunDetail> = {}): RunDetail {
  return {
    id, name: `${group} (seed ${seed})`, group, experiment: null, status: 'completed', datasetId: 'fashion-mnist', seed, backend: 'cpu', device: null, backendNotes: null,
    createdAt: '2026-01-01T00:00:00Z', startedAt: null, endedAt: null, error: null, notes: '', tags: [], trainCount: 48000, valCount: 12000, limit: null,
    stoppedEpoch: null, bestEpoch: null, modelEpoch: null, continuedFrom: null, epochsDone: 5, trainAccuracy: 0.88, valAccuracy: 0.86 + seed / 1000,
    valLoss: 0.35, seconds: 10, testAccuracy: null, spec: spec({ training: { seed } }), epochs: [], evaluation: null, artifacts: [], ...over,
  };
}

const DATASETS = { 'fashion-mnist': { name: 'Fashion-MNIST', trainCount: 60000 }, 'iris-3fa9c2': { name: 'iris', trainCount: 150 } };

describe('fair comparisons', () => {
  it('notes (without a warning) groups trained on different devices, and shows each run\'s', () => {
    const gpu = { backend: 'webgpu', device: 'WebGPU · SwiftShader (software)' };
    const c = compareRuns([run('a', 'relu', 1, { backend: 'wasm', device: 'CPU, WebAssembly' }), run('b', 'relu', 2, { backend: 'wasm', device: 'CPU, WebAssembly' }), run('c', 'gpu', 1, gpu), run('d', 'gpu', 2, gpu)]);
    expect(c.deviceNote).toEqual({ code: 'compare.devices', params: { a: 'relu', aDevice: 'wasm (CPU, WebAssembly)', b: 'gpu', bDevice: 'webgpu (WebGPU · SwiftShader (software))' } });
    expect(c.warnings).toEqual([]);
    expect(c.groups.map((g) => g.devices)).toEqual([[{ backend: 'wasm', device: 'CPU, WebAssembly' }], [gpu]]);
    expect(c.table.map((r) => r.backend)).toEqual(['wasm', 'wasm', 'webgpu', 'webgpu']);
    // One device for all, or runs from before devices were recorded: nothing to note.
    expect(compareRuns([run('a', 'relu', 1, gpu), run('c', 'x', 1, gpu)]).deviceNote).toBeNull();
    expect(compareRuns([run('a', 'relu', 1, gpu), run('c', 'x', 1, { backend: null, device: null })]).deviceNote).toBeNull();
    // A group whose own runs trained on two devices is named too.
    expect(compareRuns([run('a', 'relu', 1, gpu), run('b', 'relu', 2, { backend: 'wasm', device: 'CPU' })]).deviceNote?.params).toMatchObject({ aDevice: 'webgpu (WebGPU · SwiftShader (software)), wasm (CPU)' });
  });

  it('refuses groups trained on different datasets, naming both in one line', () => {
    const runs = [run('a', 'relu', 1), run('b', 'relu', 2), run('c', 'iris-run', 1, { datasetId: 'iris-3fa9c2' })];
    const m = comparisonRefusal(runs, { datasets: DATASETS });
    expect(m).not.toBeNull();
    const line = formatDatasetMismatch(m!);
    expect(line).not.toContain('\n');
    expect(line).toContain('Fashion-MNIST (fashion-mnist)');
    expect(line).toContain('iris (iris-3fa9c2)');
    expect(comparisonRefusal([run('a', 'relu', 1), run('b', 'x', 1)], { datasets: DATASETS })).toBeNull();
  });

  it('warns on different sample counts, validation sets and epochs, and only then', () => {
    const fair = compareRuns([run('a', 'g1', 1), run('b', 'g1', 2), run('c', 'g2', 1), run('d', 'g2', 2)], { datasets: DATASETS });
    expect(fair.warnings).toEqual([]);
    const limited = { trainCount: 5000, valCount: 1250, limit: 5000 };
    const c = compareRuns([run('a', 'full', 1), run('b', 'full', 2), run('c', 'small', 1, limited), run('d', 'small', 2, limited)], { datasets: DATASETS });
    expect(c.warnings.map((w) => w.code)).toEqual(['samples', 'split']);
    expect(c.warnings[0]).toEqual({ code: 'samples', groups: [{ label: 'full', values: [48000] }, { label: 'small', values: [5000] }], of: 48000 });
    expect(formatWarning(c.warnings[0])).toBe('trained on different numbers of samples (full 48,000, small 5,000 of 48,000): the difference may come from the data, not the model; train both on the same --limit');
    const longer = run('c', 'long', 1, { spec: spec({ training: { epochs: 20, seed: 1 } }) });
    const e = compareRuns([run('a', 'short', 1), longer]);
    expect(e.warnings.map((w) => w.code)).toEqual(['epochs']);
    expect(e.warnings[0].groups.map((g) => g.values)).toEqual([[5], [20]]);
    // The plain lead carries the caveat.
    expect(plainSentence(c)).toMatch(/not trained alike/);
  });

  it('says what differs in words: an added layer, a changed activation, the optimizer, the sample count', () => {
    expect(layerChanges(spec().layers, DROPOUT.layers).map(formatChange)).toEqual(['+ Dropout(0.3) after Dense(100, relu)']);
    expect(layerChanges(DROPOUT.layers, spec().layers).map(formatChange)).toEqual(['− Dropout(0.3) (was after Dense(100, relu))']);
    const sigmoid = spec({ inputShape: [784], layers: [{ type: 'dense', units: 100, activation: 'sigmoid' }, { type: 'dense', units: 10, activation: 'softmax' }] });
    expect(specChanges(sigmoid, spec()).map(formatChange)).toEqual(['input 784 → 28×28', '+ Flatten at the start', 'Dense(100, sigmoid) → Dense(100, relu)']);
    const adam = spec({ optimizer: { type: 'adam' }, training: { epochs: 20 } });
    expect(specChanges(spec(), adam).map(formatChange)).toEqual(['optimizer RMSprop(lr=0.001) → Adam(lr=0.001)', 'epochs 5 → 20']);
    const c = compareRuns([run('a', 'plain', 1), run('b', 'dropout', 1, { spec: DROPOUT, trainCount: 5000, valCount: 12000, limit: 5000 })], { datasets: DATASETS });
    expect(c.changes.map((g) => g.changes.map(formatChange))).toEqual([[], ['+ Dropout(0.3) after Dense(100, relu)', 'trained on 5,000 of 48,000 samples']]);
  });

  it('leads with a plain sentence: no real difference yet, and how many runs would tell', () => {
    const c = compareRuns([run('a', 'sigmoid', 1), run('b', 'sigmoid', 2), run('c', 'sigmoid', 3), run('d', 'relu', 1), run('e', 'relu', 2), run('f', 'relu', 3, { valAccuracy: 0.8625 })]);
    expect(c.verdict!.significant).toBe(false);
    expect(plainSentence(c)).toMatch(/^relu vs sigmoid: no real difference yet; (about \d+ runs each would be needed|even \d+ runs each might not tell)\.$/);
    const one = compareRuns([run('a', 'sigmoid', 1), run('d', 'relu', 1)]);
    expect(plainSentence(one)).toBe('relu vs sigmoid: one run cannot tell them apart; repeat each 3 or more times.');
  });
});

describe('groupWorkers', () => {
  const w = (name: string) => ({ worker: { host: 'h', pid: 1, name, backend: 'wasm', device: 'CPU' } });
  it('counts each queue worker\'s runs in the order first met, leaving this machine\'s runs out', () => {
    expect(groupWorkers([w('b'), { worker: null }, w('a'), w('b'), {}])).toEqual([{ name: 'b', runs: 2 }, { name: 'a', runs: 1 }]);
    expect(groupWorkers([{ worker: null }, {}])).toEqual([]);
  });
});
