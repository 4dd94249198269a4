import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { buildCompiledModel, buildModel } from '../../../src-main/engine/model.js';
import { PRESETS } from '../../../src-main/shared/presets.js';
import { summarize } from '../../../src-main/shared/summary.js';
import { ModelSpec } from '../../../src-main/shared/spec.js';

describe('spec → tf.LayersModel', () => {
  beforeAll(async () => { await selectBackend('auto'); });

  it('reports the backend and why tensorflow was skipped here', async () => {
    const b = await selectBackend('auto');
    expect(['tensorflow', 'native', 'wasm', 'cpu']).toContain(b.name);
    // The native rung trains with its addon and keeps tfjs wasm underneath for the model itself.
    expect(tf.getBackend()).toBe(b.name === 'native' ? 'wasm' : b.name);
    if (b.name !== 'tensorflow') expect(b.skipped.find((s) => s.name === 'tensorflow')?.reason).toMatch(/tfjs-node-gpu/);
  });

  it('has Keras\' parameter counts for every preset, and the summary agrees', () => {
    for (const p of PRESETS) {
      const model = buildCompiledModel(p.spec);
      const summary = summarize(p.spec);
      expect(model.countParams()).toBe(summary.totalParams);
      const dense = p.name === 'book-cnn' ? [313700, 1010] : p.name.startsWith('book-deep-') ? [78500, 10100, 10100, 10100, 1010] : [78500, 1010];
      expect(model.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.countParams()), p.name).toEqual(dense);
      expect(model.outputs[0].shape).toEqual([null, 10]);
      model.dispose();
    }
  });

  it('counts dropout, bias-free and deeper stacks like Keras', () => {
    const spec = ModelSpec.parse({
      inputShape: [28, 28],
      layers: [{ type: 'flatten' }, { type: 'dense', units: 100, activation: 'relu', useBias: false }, { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 50, activation: 'tanh' }, { type: 'dense', units: 10, activation: 'softmax' }],
    });
    const model = buildModel(spec);
    expect(model.countParams()).toBe(78400 + 5050 + 510);
    expect(summarize(spec).totalParams).toBe(model.countParams());
    model.dispose();
  });

  it('builds convolution, pooling and reshape stacks with Keras\' shapes and parameter counts', () => {
    const conv = (o: object) => ({ type: 'conv2d', filters: 6, kernelSize: 3, activation: 'relu', ...o });
    const stacks: { inputShape: number[]; layers: object[] }[] = [
      // The book's chapter 8 CNN.
      { inputShape: [28, 28, 1], layers: [conv({ filters: 32, padding: 'same' }), { type: 'maxPooling2d', poolSize: 2 }, conv({ filters: 64, padding: 'same' }), { type: 'maxPooling2d', poolSize: 2 }, { type: 'flatten' }, { type: 'dense', units: 100, activation: 'relu' }, { type: 'dropout', rate: 0.4 }, { type: 'dense', units: 10, activation: 'softmax' }] },
      { inputShape: [784], layers: [{ type: 'reshape', targetShape: [28, 28, 1] }, conv({ strides: 2 }), { type: 'averagePooling2d', poolSize: 3, strides: 1, padding: 'same' }, conv({ kernelSize: [5, 2], useBias: false, padding: 'same', strides: [2, 3] }), { type: 'maxPooling2d', poolSize: [2, 3], padding: 'same' }, { type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }] },
      { inputShape: [9, 7, 3], layers: [conv({ kernelSize: 1 }), { type: 'maxPooling2d', poolSize: 3, strides: 2 }, { type: 'dense', units: 4 }, { type: 'flatten' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    ];
    for (const input of stacks) {
      const spec = ModelSpec.parse(input);
      const model = buildModel(spec);
      const summary = summarize(spec);
      expect(model.layers.map((l) => (l.outputShape as number[]).slice(1))).toEqual(summary.layers.map((l) => l.outputShape));
      expect(model.layers.map((l) => l.countParams())).toEqual(summary.layers.map((l) => l.params));
      expect(model.countParams()).toBe(summary.totalParams);
      model.dispose();
    }
  });

  it('initialises the same weights for the same seed, other weights for another', () => {
    const spec = PRESETS[1].spec;
    const w = (seed: number) => { const m = buildModel(spec, seed); const v = Array.from(m.getWeights()[0].dataSync().slice(0, 20)); m.dispose(); return v; };
    expect(w(7)).toEqual(w(7));
    expect(w(7)).not.toEqual(w(8));
  });
});
