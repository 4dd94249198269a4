/**
 * The "Use the model" panel's words and numbers, kept apart from the Svelte view so they can be
 * tested: what was done to a picture, and the classes in the order the bars show them.
 */
import type { ImagePrediction, Preprocessing } from '../../../src-main/shared/predict.js';
import type { MessageKey } from '../i18n/translate.js';

export interface Phrase { key: MessageKey; params: Record<string, string | number> }

/** "× 1/255" for the usual 8-bit scale, "unchanged" for 1, else the factor itself. */
export function scaleText(scale: number): string {
  if (scale === 1) return '1';
  const inverse = 1 / scale;
  return Math.abs(inverse - Math.round(inverse)) < 1e-9 ? `1/${Math.round(inverse)}` : String(scale);
}

/**
 * What was done to the picture, in one line: resized from its own size (or a test sample, already
 * the model's size), grayscale or colour, the scale of training.
 */
export function preprocessingPhrase(pre: Preprocessing): Phrase {
  const [h, w, c] = pre.size;
  const params = { width: w, height: h, scale: scaleText(pre.scale), fromWidth: pre.source.width, fromHeight: pre.source.height, format: pre.source.format.toUpperCase() };
  if (pre.source.format === 'test-sample') return { key: c === 1 ? 'predict.pre.sampleGray' : 'predict.pre.sampleColour', params };
  return { key: c === 1 ? 'predict.pre.gray' : 'predict.pre.colour', params };
}

/** The model's input as 0..255 pixels to draw (the values divided by the training scale). */
export function pixels(pre: Preprocessing): number[] {
  return pre.values.map((v) => v / pre.scale);
}

/** One bar per class in the dataset's order, the predicted one marked. */
export function bars(p: Extract<ImagePrediction, { ok: true }>, classNames: readonly string[]): { index: number; name: string; value: number; predicted: boolean }[] {
  return p.probabilities.map((value, index) => ({ index, name: classNames[index] ?? String(index), value, predicted: index === p.predicted }));
}
