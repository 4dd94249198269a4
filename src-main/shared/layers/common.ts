/**
 * What every layer type of the registry is made of: the schema pieces (Keras' defaults), the
 * editor's field descriptions and the shape arithmetic of convolution and pooling.
 */
import { z } from 'zod';

/** Every activation tfjs-layers knows, by its Keras name. */
export const ACTIVATIONS = [
  'linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign',
  'relu6', 'swish', 'mish', 'gelu', 'gelu_new', 'hard_sigmoid',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

// min(1), not positive(): a whole number is said "at least 1" like every other count (repeats, seeds).
export const positiveInt = z.number().int().min(1);
export const unitRate = z.number().min(0).lt(1);
export const activation = z.enum(ACTIVATIONS).default('linear');
export const PADDINGS = ['valid', 'same'] as const;
export const padding = z.enum(PADDINGS).default('valid');

const dim = positiveInt.max(1024);
/**
 * A 2-D size as Keras takes it: one number for a square (3) or [height, width]. Kept as a pair
 * after parsing, so the engine and the summary see one form.
 */
export const size2 = z.preprocess((v) => (typeof v === 'number' ? [v, v] : v), z.tuple([dim, dim]));
export type Size2 = [number, number];

/**
 * A field the model editor shows for a layer type. `label` is an i18n key of the renderer (a unit
 * test checks that English and Korean have each). `draft` is what a new layer starts with.
 * `vary`: experiments offer the field as a thing to vary.
 * Kinds: int / number (a number input), bool (a checkbox), choice (a select), size ("3" or
 * "3, 5": a square or height, width; empty means null where the schema allows it), shape
 * ("28, 28, 1").
 */
export type LayerField =
  | { key: string; label: string; kind: 'int'; min: number; max?: number; draft: number; vary?: boolean }
  | { key: string; label: string; kind: 'number'; min: number; max: number; step: number; draft: number; vary?: boolean }
  | { key: string; label: string; kind: 'bool'; draft: boolean; vary?: boolean }
  | { key: string; label: string; kind: 'choice'; options: readonly string[]; draft: string; vary?: boolean }
  | { key: string; label: string; kind: 'size'; draft: string; optional?: boolean; vary?: boolean }
  | { key: string; label: string; kind: 'shape'; draft: string; vary?: boolean };

export const ACTIVATION_FIELD: LayerField = { key: 'activation', label: 'model.activation', kind: 'choice', options: ACTIVATIONS, draft: 'relu', vary: true };
export const USE_BIAS_FIELD: LayerField = { key: 'useBias', label: 'model.useBias', kind: 'bool', draft: true };
export const PADDING_FIELD: LayerField = { key: 'padding', label: 'model.padding', kind: 'choice', options: PADDINGS, draft: 'valid', vary: true };

/** What a layer makes of one sample of shape `input` (no batch axis): its output and its weights. */
export interface LayerOutcome { shape: number[]; params: number }

/**
 * Why a layer cannot take its input, as data, so each face can say it in its language
 * (problemText is the English; the renderer has err.layer.<code>).
 */
export type LayerProblem =
  | { code: 'needsImage'; layer: string; input: number[] }
  | { code: 'windowTooLarge'; layer: string; window: number[]; input: number[] }
  | { code: 'reshapeSize'; target: number[]; input: number[] };

const shapeText = (s: readonly number[]) => `(${s.join(', ')})`;

export function problemText(p: LayerProblem): string {
  switch (p.code) {
    case 'needsImage':
      return `${p.layer} needs an image-shaped input (height, width, channels), not ${shapeText(p.input)}: set the input shape to e.g. 28, 28, 1 or put a Reshape before it`;
    case 'windowTooLarge':
      return `${p.layer}'s ${p.window.join('×')} window is larger than its ${p.input.join('×')} input: use a smaller window or padding 'same'`;
    case 'reshapeSize':
      return `Reshape to ${shapeText(p.target)} needs ${product(p.target)} values but its input ${shapeText(p.input)} has ${product(p.input)}`;
  }
}

/**
 * Output length along one axis of a window sliding over `size` values (TensorFlow's rule):
 * 'valid' ⌈(size − window + 1) / stride⌉, 'same' ⌈size / stride⌉.
 */
export function windowOutput(size: number, window: number, stride: number, pad: 'valid' | 'same'): number {
  return pad === 'same' ? Math.ceil(size / stride) : Math.ceil((size - window + 1) / stride);
}

/**
 * What a 2-D window layer makes of the (height, width, channels) it slides over.
 * @returns [outH, outW], or why it cannot
 */
export function slide2d(layer: string, input: readonly number[], window: Size2, strides: Size2, pad: 'valid' | 'same'): [number, number] | LayerProblem {
  if (input.length !== 3) return { code: 'needsImage', layer, input: [...input] };
  const out: [number, number] = [windowOutput(input[0], window[0], strides[0], pad), windowOutput(input[1], window[1], strides[1], pad)];
  if (out[0] < 1 || out[1] < 1) return { code: 'windowTooLarge', layer, window: [...window], input: [input[0], input[1]] };
  return out;
}

/** "3×3" for a pair, "3" is never written: Keras' own summary says (3, 3). */
export function sizeText(s: Size2): string {
  return `${s[0]}×${s[1]}`;
}

/** The pair as Keras code: 3 for (3, 3), (3, 5) otherwise. */
export function sizePy(s: Size2): string {
  return s[0] === s[1] ? String(s[0]) : `(${s[0]}, ${s[1]})`;
}

/** A Python literal. */
export function py(v: number | boolean | string): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(v);
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
