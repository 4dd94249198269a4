/**
 * A saved model on the user's own pictures: each PNG or JPEG decoded with sharp, made grayscale
 * (or RGB for a 3-channel model), resized to the model's input, scaled as the dataset was in
 * training, and put through the model. A file that is not a PNG or JPEG, or a model that does not
 * take images, is that file's one-line error; the other files still get their answer.
 */
import { statSync } from 'node:fs';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../shared/spec.js';
import type { Dataset } from '../shared/dataset.js';
import type { ImagePrediction, Preprocessing } from '../shared/predict.js';
import { buildModel } from './model.js';
import { loadWeights, type SavedModelFiles } from './save.js';

/** The image size a model takes, from its input shape (or the dataset's, for a flat input); a string: why it takes none. */
export function imageInput(spec: ModelSpec, featureShape: readonly number[]): [number, number, number] | string {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const shape = spec.inputShape.length === 1 && size(featureShape) === spec.inputShape[0] ? featureShape : spec.inputShape;
  if (shape.length === 2) return [shape[0], shape[1], 1];
  if (shape.length === 3 && (shape[2] === 1 || shape[2] === 3)) return [shape[0], shape[1], shape[2]];
  return `the model takes ${shape.length === 1 ? `${shape[0]} numbers per sample` : `input of shape (${shape.join(', ')})`}, not an image: predict needs a model trained on images (height × width, 1 or 3 channels)`;
}

/** Decodes, converts and scales one image. @throws Error with a one-line message for the file. */
export async function preprocessImage(path: string, size: [number, number, number], scale: number): Promise<Preprocessing> {
  const [h, w, c] = size;
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    statSync(path);
  } catch (err) {
    throw new Error(`cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    meta = await sharp(path).metadata();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code ? `cannot read it (${code})` : 'not an image: give a PNG or JPEG file');
  }
  if (meta.format !== 'png' && meta.format !== 'jpeg') throw new Error(`a ${meta.format ?? 'unknown'} image: give a PNG or JPEG file`);
  // Transparent parts become black, the background of the book's images.
  let img = sharp(path).rotate().flatten({ background: '#000000' });
  img = c === 1 ? img.grayscale() : img.toColourspace('srgb');
  const { data, info } = await img.resize(w, h, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== c) throw new Error(`decoded to ${info.channels} channels, the model takes ${c}`);
  return {
    source: { width: meta.width ?? 0, height: meta.height ?? 0, format: meta.format, channels: meta.channels ?? 0 },
    size, scale, values: Array.from(data, (v) => v * scale),
  };
}

/** The model's answers for each image; `sources` name them in the results (what the user gave). */
export async function predictImages(spec: ModelSpec, dataset: Pick<Dataset, 'featureShape' | 'classNames' | 'scale'>, files: SavedModelFiles,
  images: { source: string; path: string }[]): Promise<ImagePrediction[]> {
  const size = imageInput(spec, dataset.featureShape);
  if (typeof size === 'string') return images.map(({ source }) => ({ source, ok: false, error: `${source}: ${size}` }));
  const model = buildModel(spec);
  try {
    loadWeights(model, files);
    const out: ImagePrediction[] = [];
    for (const { source, path } of images) {
      let pre: Preprocessing;
      try {
        pre = await preprocessImage(path, size, dataset.scale);
      } catch (err) {
        out.push({ source, ok: false, error: `${source}: ${(err as Error).message}` });
        continue;
      }
      const probabilities = tf.tidy(() => Array.from((model.predict(tf.tensor(pre.values, [1, ...spec.inputShape])) as tf.Tensor).dataSync()));
      const predicted = probabilities.indexOf(Math.max(...probabilities));
      out.push({ source, ok: true, probabilities, predicted, className: dataset.classNames[predicted] ?? String(predicted), preprocessing: pre });
    }
    return out;
  } finally {
    model.dispose();
  }
}
