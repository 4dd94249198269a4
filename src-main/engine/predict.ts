/**
 * A saved model on the user's own pictures: each PNG or JPEG decoded with sharp, made grayscale
 * (or RGB for a 3-channel model), resized to the model's input, scaled as the dataset was in
 * training, and put through the model. A file that is not a PNG or JPEG, or a model that does not
 * take images, is that file's one-line error; the other files still get their answer.
 */
import { statSync } from 'node:fs';
import type * as Sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../shared/spec.js';
import type { Dataset } from '../shared/dataset.js';
import type { ConvFilters, FeatureMaps, ImagePrediction, Preprocessing } from '../shared/predict.js';
import { describeLayer } from '../shared/layers/index.js';
import { message, messageText, type Message } from '../shared/messages.js';
import { buildModel } from './model.js';
import { loadWeights, type SavedModelFiles } from './save.js';

/**
 * How far a picture's proportions may be from the model's before resizing it would distort it
 * beyond recognition (a 3:1 banner squeezed into a square): such a file is refused.
 */
export const MAX_ASPECT_STRETCH = 3;

/** A file's or a sample's one-line error, as a code (a page says it in the user's language). */
export class PredictError extends Error {
  constructor(readonly coded: Message) {
    super(messageText(coded));
  }
}

/** The image size a model takes, from its input shape (or the dataset's, for a flat input); a message: why it takes none. */
export function imageInput(spec: ModelSpec, featureShape: readonly number[], file: string): [number, number, number] | Message {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const shape = spec.inputShape.length === 1 && size(featureShape) === spec.inputShape[0] ? featureShape : spec.inputShape;
  if (shape.length === 2) return [shape[0], shape[1], 1];
  if (shape.length === 3 && (shape[2] === 1 || shape[2] === 3)) return [shape[0], shape[1], shape[2]];
  return shape.length === 1 ? message('predict.numbers', { file, count: shape[0] }) : message('predict.inputShape', { file, shape: shape.join(', ') });
}

/** Decodes, converts and scales one image. @throws PredictError with a one-line message naming `file`. */
export async function preprocessImage(path: string, size: [number, number, number], scale: number, file: string = path): Promise<Preprocessing> {
  const [h, w, c] = size;
  // Loaded at the first picture: sharp costs every trainer's start ~0.2 s, and most never predict.
  const { default: sharp } = await import('sharp');
  let meta: Sharp.Metadata;
  try {
    statSync(path);
  } catch (err) {
    throw new PredictError(message('predict.unreadable', { file, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  }
  try {
    meta = await sharp(path).metadata();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PredictError(code ? message('predict.unreadable', { file, reason: code }) : message('predict.notImage', { file }));
  }
  if (meta.format !== 'png' && meta.format !== 'jpeg') throw new PredictError(message('predict.format', { file, format: meta.format ?? 'unknown' }));
  // EXIF orientations 5-8 turn the picture a quarter: its upright size swaps width and height.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  const stretch = (width / Math.max(1, height)) / (w / h);
  if (!(stretch <= MAX_ASPECT_STRETCH && stretch >= 1 / MAX_ASPECT_STRETCH)) {
    throw new PredictError(message('predict.shape', { file, width, height, modelWidth: w, modelHeight: h }));
  }
  // Transparent parts become black, the background of the book's images.
  let img = sharp(path).rotate().flatten({ background: '#000000' });
  img = c === 1 ? img.grayscale() : img.toColourspace('srgb');
  const { data, info } = await img.resize(w, h, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== c) throw new Error(`${file}: decoded to ${info.channels} channels, the model takes ${c}`);
  return {
    source: { width, height, format: meta.format, channels: meta.channels ?? 0 },
    size, scale, values: Array.from(data, (v) => v * scale),
  };
}

/** The test split's row `index` as the model's input (already its size), or the reason there is none. */
function testSample(dataset: PredictDataset, index: number, size: [number, number, number]): { pre: Preprocessing; label: number } {
  const test = dataset.test;
  if (!test) throw new PredictError(message('predict.noTestSplit', { index }));
  if (index >= test.count) throw new PredictError(message('predict.noSample', { index, count: test.count, last: test.count - 1 }));
  const n = size[0] * size[1] * size[2];
  const row = test.x.subarray(index * n, (index + 1) * n);
  return {
    label: test.y[index],
    pre: { source: { width: size[1], height: size[0], format: 'test-sample', channels: size[2] }, size, scale: dataset.scale, values: Array.from(row, (v) => v * dataset.scale) },
  };
}

type PredictDataset = Pick<Dataset, 'featureShape' | 'classNames' | 'scale' | 'test'>;

/**
 * What to predict: files (`source` names them in the results: what the user gave) and test
 * samples by index; `maps`: each answer with the first Conv2D layer's feature maps.
 */
export interface PredictInputs { images: { source: string; path: string }[]; samples?: number[]; maps?: boolean }

/** The index of the spec's first Conv2D layer, or -1. */
export function firstConv(spec: ModelSpec): number {
  return spec.layers.findIndex((l) => l.type === 'conv2d');
}

/** The first Conv2D layer's kernel and bias, from the model's weights. */
export function convFilters(model: tf.LayersModel, spec: ModelSpec, index: number): ConvFilters {
  const [kernel, bias] = model.layers[index].getWeights();
  const [kh, kw, inC, outC] = kernel.shape as [number, number, number, number];
  return {
    layer: index, description: describeLayer(spec.layers[index]), kernel: [kh, kw, inC, outC],
    values: Array.from(kernel.dataSync()), bias: bias ? Array.from(bias.dataSync()) : new Array<number>(outC).fill(0),
  };
}

/** One input through the layers up to and including `index`, in inference mode: its feature maps there. */
function featureMaps(model: tf.LayersModel, index: number, x: tf.Tensor): FeatureMaps {
  return tf.tidy(() => {
    let h = x;
    for (let i = 0; i <= index; i++) h = model.layers[i].apply(h, { training: false }) as tf.Tensor;
    const [, height, width, filters] = h.shape as [number, number, number, number];
    return { layer: index, size: [height, width, filters] as [number, number, number], values: Array.from(h.dataSync()) };
  });
}

export interface Predictions { results: ImagePrediction[]; filters?: ConvFilters | null }

/** The model's answers for each image, then each test sample (with `maps`: the filters, and each answer's feature maps). */
export async function predictImages(spec: ModelSpec, dataset: PredictDataset, files: SavedModelFiles, inputs: PredictInputs): Promise<Predictions> {
  const items = [
    ...inputs.images.map((i) => ({ kind: 'file' as const, ...i })),
    ...(inputs.samples ?? []).map((index) => ({ kind: 'sample' as const, source: `test sample ${index}`, index })),
  ];
  const failed = (source: string, coded: Message): ImagePrediction => ({ source, ok: false, error: messageText(coded), coded });
  const size = imageInput(spec, dataset.featureShape, '');
  const conv = inputs.maps ? firstConv(spec) : -1;
  if (!Array.isArray(size)) return { results: items.map(({ source }) => failed(source, imageInput(spec, dataset.featureShape, source) as Message)), ...(inputs.maps ? { filters: null } : {}) };
  const model = buildModel(spec);
  try {
    loadWeights(model, files);
    const out: ImagePrediction[] = [];
    for (const item of items) {
      let pre: Preprocessing;
      let sample: { index: number; label: number } | undefined;
      try {
        if (item.kind === 'file') pre = await preprocessImage(item.path, size, dataset.scale, item.source);
        else {
          const row = testSample(dataset, item.index, size);
          pre = row.pre;
          sample = { index: item.index, label: row.label };
        }
      } catch (err) {
        if (err instanceof PredictError) { out.push(failed(item.source, err.coded)); continue; }
        throw err;
      }
      const x = tf.tensor(pre.values, [1, ...spec.inputShape]);
      let probabilities: number[];
      let maps: FeatureMaps | undefined;
      try {
        probabilities = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()));
        if (conv >= 0) maps = featureMaps(model, conv, x);
      } finally {
        x.dispose();
      }
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      out.push({
        source: item.source, ok: true, probabilities, predicted, className: dataset.classNames[predicted] ?? String(predicted), preprocessing: pre,
        ...(sample ? { sample } : {}), ...(maps ? { maps } : {}),
      });
    }
    return { results: out, ...(inputs.maps ? { filters: conv >= 0 ? convFilters(model, spec, conv) : null } : {}) };
  } finally {
    model.dispose();
  }
}
