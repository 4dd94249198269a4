import { describe, expect, it } from 'vitest';
import { LAYERS, LAYER_TYPES, LayerSpec, traceLayers, describeLayer, kerasLayer } from '../../../src-main/shared/layers/index.js';
import { fitInput, fitToDataset, ModelSpec } from '../../../src-main/shared/spec.js';
import { summarize, describeLayers } from '../../../src-main/shared/summary.js';
import { kerasCode } from '../../../src-main/shared/keras.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { ko } from '../../../src-renderer/src/i18n/ko.js';
import { layerInput, newLayer } from '../../../src-renderer/src/lib/spec-draft.js';

describe('the layer registry', () => {
  it('names each type once, with its i18n keys in English and Korean', () => {
    for (const type of LAYER_TYPES) {
      const def = LAYERS[type];
      expect(def.type).toBe(type);
      const keys = [`model.type.${type}`, ...def.fields.map((f) => f.label)];
      for (const key of keys) {
        expect(en, `${type}: ${key}`).toHaveProperty([key]);
        expect(ko, `${type}: ${key}`).toHaveProperty([key]);
      }
    }
  });

  it('starts every new layer in the editor with fields its schema takes', () => {
    for (const type of LAYER_TYPES) {
      const r = LayerSpec.safeParse(layerInput(newLayer(type)));
      expect(r.success, `${type}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
    }
  });

  it('says what each layer is, and writes its Keras call', () => {
    const dense = LayerSpec.parse({ type: 'dense', units: 100, activation: 'relu' });
    expect(describeLayer(dense)).toBe('Dense(100, relu)');
    expect(kerasLayer(dense)).toBe("keras.layers.Dense(100, activation='relu')");
    expect(kerasLayer(LayerSpec.parse({ type: 'dense', units: 3, useBias: false }))).toBe("keras.layers.Dense(3, activation='linear', use_bias=False)");
    expect(describeLayer(LayerSpec.parse({ type: 'dropout', rate: 0.3 }))).toBe('Dropout(0.3)');
    expect(describeLayers(findPreset('book-relu')!.spec)).toBe('28×28 → Flatten → Dense(100, relu) → Dense(10, softmax)');
    expect(kerasCode(findPreset('book-relu')!.spec)).toContain("model.add(keras.layers.Dense(100, activation='relu'))\nmodel.add(keras.layers.Dense(10, activation='softmax'))");
  });

  it('traces shapes as Keras does: Dense on the last axis, Flatten to one', () => {
    const spec = ModelSpec.parse({ inputShape: [28, 28], layers: [{ type: 'dense', units: 4 }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] });
    expect(traceLayers(spec.inputShape, spec.layers)).toEqual([{ shape: [28, 4], params: 116 }, { shape: [112], params: 0 }, { shape: [10], params: 1130 }]);
    expect(summarize(spec).layers.map((l) => `${l.name} (${l.className})`)).toEqual(['dense (Dense)', 'flatten (Flatten)', 'dense_1 (Dense)']);
  });

  it('fits a Dense stack to a dataset with a Flatten in front of images, none for rows', () => {
    expect(fitInput('dense', [28, 28])).toEqual({ inputShape: [28, 28], flatten: 'add' });
    expect(fitInput('flatten', [4])).toEqual({ inputShape: [4], flatten: 'remove' });
    const relu = findPreset('book-relu')!.spec;
    expect(fitToDataset(relu, [4], 3).layers.map((l) => l.type)).toEqual(['dense', 'dense']);
    expect(fitToDataset(relu, [28, 28], 10)).toBe(relu);
  });
});
