import { describe, expect, it } from 'vitest';
import { LAYERS, LAYER_TYPES, LayerSpec, applyLayer, traceLayers, describeLayer, kerasLayer } from '../../../src-main/shared/layers/index.js';
import { fitInput, fitToDataset, ModelSpec } from '../../../src-main/shared/spec.js';
import { summarize, describeLayers } from '../../../src-main/shared/summary.js';
import { kerasCode } from '../../../src-main/shared/keras.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { en } from '../../../src-renderer/src/i18n/en.js';
import { ko } from '../../../src-renderer/src/i18n/ko.js';
import { layerInput, newLayer } from '../../../src-renderer/src/lib/spec-draft.js';

/** The book's chapter 8-2 CNN. */
const BOOK_CNN = {
  inputShape: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'conv2d', filters: 64, kernelSize: [3, 3], activation: 'relu', padding: 'same' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 100, activation: 'relu' },
    { type: 'dropout', rate: 0.4 },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

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

  it('counts the book’s chapter 8 CNN as Keras prints it (333,526 parameters)', () => {
    const s = summarize(ModelSpec.parse(BOOK_CNN));
    expect(s.layers.map((l) => [`${l.name} (${l.className})`, l.outputShape, l.params])).toEqual([
      ['conv2d (Conv2D)', [28, 28, 32], 320],
      ['max_pooling2d (MaxPooling2D)', [14, 14, 32], 0],
      ['conv2d_1 (Conv2D)', [14, 14, 64], 18496],
      ['max_pooling2d_1 (MaxPooling2D)', [7, 7, 64], 0],
      ['flatten (Flatten)', [3136], 0],
      ['dense (Dense)', [100], 313700],
      ['dropout (Dropout)', [100], 0],
      ['dense_1 (Dense)', [10], 1010],
    ]);
    expect(s.totalParams).toBe(333526);
  });

  it('takes sizes as one number or height, width, and Keras’ defaults for the rest', () => {
    expect(LayerSpec.parse({ type: 'conv2d', filters: 8, kernelSize: 3 })).toEqual({ type: 'conv2d', filters: 8, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'linear', useBias: true });
    expect(LayerSpec.parse({ type: 'maxPooling2d' })).toEqual({ type: 'maxPooling2d', poolSize: [2, 2], strides: null, padding: 'valid' });
    expect(LayerSpec.safeParse({ type: 'conv2d', filters: 8 }).success).toBe(false);
    expect(LayerSpec.safeParse({ type: 'conv2d', filters: 8, kernelSize: [3, 0] }).error?.issues[0].path).toEqual(['kernelSize', 1]);
  });

  it('slides windows by TensorFlow’s rule: valid ⌈(n − k + 1) / s⌉, same ⌈n / s⌉', () => {
    const conv = (o: object) => LayerSpec.parse({ type: 'conv2d', filters: 4, kernelSize: 3, ...o });
    expect(applyLayer(conv({}), [28, 28, 1])).toEqual({ shape: [26, 26, 4], params: 40 });
    expect(applyLayer(conv({ strides: 2 }), [28, 28, 1])).toEqual({ shape: [13, 13, 4], params: 40 });
    expect(applyLayer(conv({ strides: 2, padding: 'same' }), [7, 7, 3])).toEqual({ shape: [4, 4, 4], params: 112 });
    expect(applyLayer(conv({ kernelSize: [5, 1], useBias: false }), [9, 9, 2])).toEqual({ shape: [5, 9, 4], params: 40 });
    expect(applyLayer(LayerSpec.parse({ type: 'maxPooling2d', poolSize: 3 }), [7, 7, 5])).toEqual({ shape: [2, 2, 5], params: 0 });
    expect(applyLayer(LayerSpec.parse({ type: 'averagePooling2d', strides: 1 }), [7, 7, 5])).toEqual({ shape: [6, 6, 5], params: 0 });
    expect(applyLayer(LayerSpec.parse({ type: 'reshape', targetShape: [28, 28, 1] }), [784])).toEqual({ shape: [28, 28, 1], params: 0 });
  });

  it('refuses, field by layer, a stack whose layers cannot take their inputs', () => {
    const errors = (layers: object[], inputShape = [28, 28]) => {
      const r = ModelSpec.safeParse({ inputShape, layers: [...layers, { type: 'flatten' }, { type: 'dense', units: 10 }] });
      return r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(errors([{ type: 'conv2d', filters: 4, kernelSize: 3 }])).toEqual(['layers.0: Conv2D needs an image-shaped input (height, width, channels), not (28, 28): set the input shape to e.g. 28, 28, 1 or put a Reshape before it']);
    expect(errors([{ type: 'maxPooling2d', poolSize: 5 }], [4, 4, 1])).toEqual(["layers.0: MaxPooling2D's 5×5 window is larger than its 4×4 input: use a smaller window or padding 'same'"]);
    expect(errors([{ type: 'reshape', targetShape: [27, 28, 1] }])).toEqual(['layers.0: Reshape to (27, 28, 1) needs 756 values but its input (28, 28) has 784']);
    expect(errors([{ type: 'reshape', targetShape: [28, 28, 1] }, { type: 'conv2d', filters: 4, kernelSize: 3 }])).toBeUndefined();
    expect(errors([{ type: 'maxPooling2d', poolSize: 5, padding: 'same' }], [4, 4, 1])).toBeUndefined();
  });

  it('writes the book’s Keras code for the CNN, and says each layer in a few words', () => {
    const spec = ModelSpec.parse(BOOK_CNN);
    const code = kerasCode(spec);
    expect(code).toContain('model.add(keras.Input(shape=(28, 28, 1)))');
    expect(code).toContain("model.add(keras.layers.Conv2D(32, kernel_size=3, padding='same', activation='relu'))\nmodel.add(keras.layers.MaxPooling2D(2))");
    expect(kerasLayer(LayerSpec.parse({ type: 'conv2d', filters: 8, kernelSize: [3, 5], strides: 2, useBias: false }))).toBe("keras.layers.Conv2D(8, kernel_size=(3, 5), strides=2, activation='linear', use_bias=False)");
    expect(kerasLayer(LayerSpec.parse({ type: 'averagePooling2d', poolSize: 3, strides: 1, padding: 'same' }))).toBe("keras.layers.AveragePooling2D(3, strides=1, padding='same')");
    expect(kerasLayer(LayerSpec.parse({ type: 'reshape', targetShape: [784] }))).toBe('keras.layers.Reshape((784,))');
    expect(describeLayers(spec)).toBe('28×28×1 → Conv2D(32, 3×3, relu, same) → MaxPooling2D(2×2) → Conv2D(64, 3×3, relu, same) → MaxPooling2D(2×2) → Flatten → Dense(100, relu) → Dropout(0.4) → Dense(10, softmax)');
  });

  it('fits an image model to grayscale images as height, width, 1, with no Flatten in front', () => {
    expect(fitInput('conv2d', [32, 32])).toEqual({ inputShape: [32, 32, 1], flatten: 'keep' });
    expect(fitInput('maxPooling2d', [32, 32, 3])).toEqual({ inputShape: [32, 32, 3], flatten: 'keep' });
    expect(fitInput('conv2d', [10])).toBeNull();
    const cnn = ModelSpec.parse(BOOK_CNN);
    expect(fitToDataset(cnn, [28, 28], 10)).toBe(cnn);
    const fitted = fitToDataset(cnn, [32, 32, 3], 4);
    expect(fitted.inputShape).toEqual([32, 32, 3]);
    expect(fitted.layers.map((l) => l.type)).toEqual(cnn.layers.map((l) => l.type));
    expect(summarize(fitted).layers.at(-1)!.outputShape).toEqual([4]);
  });
});
