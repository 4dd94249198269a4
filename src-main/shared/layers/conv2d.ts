import { z } from 'zod';
import {
  activation, ACTIVATION_FIELD, padding, positiveInt, py, size2, sizePy, sizeText, slide2d, USE_BIAS_FIELD,
} from './common.js';
import type { LayerDef } from './types.js';

export const Conv2DLayer = z.object({
  type: z.literal('conv2d'),
  filters: positiveInt.max(4096),
  /** Keras requires it: no default. */
  kernelSize: size2,
  strides: size2.default([1, 1]),
  padding,
  activation,
  useBias: z.boolean().default(true),
}).strict();
export type Conv2DLayer = z.infer<typeof Conv2DLayer>;

export const conv2d: LayerDef<Conv2DLayer> = {
  type: 'conv2d',
  kerasClass: 'Conv2D',
  kerasName: 'conv2d',
  schema: Conv2DLayer,
  fields: [
    { key: 'filters', label: 'model.filters', kind: 'int', min: 1, max: 4096, draft: 32, vary: true },
    { key: 'kernelSize', label: 'model.kernelSize', kind: 'size', draft: '3', vary: true },
    { key: 'strides', label: 'model.strides', kind: 'size', draft: '1' },
    // The book pads its convolutions ('same'); Keras' default stays 'valid' in the schema.
    { key: 'padding', label: 'model.padding', kind: 'choice', options: ['valid', 'same'], draft: 'same', vary: true },
    ACTIVATION_FIELD,
    USE_BIAS_FIELD,
  ],
  apply: (l, input) => {
    const out = slide2d('Conv2D', input, l.kernelSize, l.strides, l.padding);
    if (!Array.isArray(out)) return out;
    const weights = l.kernelSize[0] * l.kernelSize[1] * input[2] * l.filters;
    return { shape: [out[0], out[1], l.filters], params: weights + (l.useBias ? l.filters : 0) };
  },
  keras: (l) => {
    const args = [String(l.filters), `kernel_size=${sizePy(l.kernelSize)}`];
    if (l.strides[0] !== 1 || l.strides[1] !== 1) args.push(`strides=${sizePy(l.strides)}`);
    if (l.padding !== 'valid') args.push(`padding=${py(l.padding)}`);
    args.push(`activation=${py(l.activation)}`);
    if (!l.useBias) args.push('use_bias=False');
    return `keras.layers.Conv2D(${args.join(', ')})`;
  },
  describe: (l) => {
    const parts = [String(l.filters), sizeText(l.kernelSize), l.activation, l.padding];
    if (l.strides[0] !== 1 || l.strides[1] !== 1) parts.push(`stride ${sizeText(l.strides)}`);
    if (!l.useBias) parts.push('no bias');
    return `Conv2D(${parts.join(', ')})`;
  },
  fastStep: false,
  imageInput: true,
};
