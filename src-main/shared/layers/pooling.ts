/** MaxPooling2D and AveragePooling2D: the same window arithmetic, no weights. */
import { z } from 'zod';
import { padding, PADDING_FIELD, py, size2, sizePy, sizeText, slide2d, type Size2 } from './common.js';
import type { LayerDef } from './types.js';

const poolFields = {
  poolSize: size2.default([2, 2]),
  /** Keras' default (None) is the pool size. */
  strides: size2.nullable().default(null),
  padding,
};

export const MaxPooling2DLayer = z.object({ type: z.literal('maxPooling2d'), ...poolFields }).strict();
export type MaxPooling2DLayer = z.infer<typeof MaxPooling2DLayer>;
export const AveragePooling2DLayer = z.object({ type: z.literal('averagePooling2d'), ...poolFields }).strict();
export type AveragePooling2DLayer = z.infer<typeof AveragePooling2DLayer>;

type PoolLayer = { type: string; poolSize: Size2; strides: Size2 | null; padding: 'valid' | 'same' };

function poolDef<T extends PoolLayer>(type: T['type'], kerasClass: string, kerasName: string, schema: z.ZodType<T>): LayerDef<T> {
  return {
    type,
    kerasClass,
    kerasName,
    schema,
    fields: [
      { key: 'poolSize', label: 'model.poolSize', kind: 'size', draft: '2', vary: true },
      { key: 'strides', label: 'model.strides', kind: 'size', draft: '', optional: true },
      { ...PADDING_FIELD, vary: false },
    ],
    apply: (l, input) => {
      const out = slide2d(kerasClass, input, l.poolSize, l.strides ?? l.poolSize, l.padding);
      return Array.isArray(out) ? { shape: [out[0], out[1], input[2]], params: 0 } : out;
    },
    keras: (l) => {
      const args = [sizePy(l.poolSize)];
      if (l.strides) args.push(`strides=${sizePy(l.strides)}`);
      if (l.padding !== 'valid') args.push(`padding=${py(l.padding)}`);
      return `keras.layers.${kerasClass}(${args.join(', ')})`;
    },
    describe: (l) => {
      const parts = [sizeText(l.poolSize)];
      if (l.strides) parts.push(`stride ${sizeText(l.strides)}`);
      if (l.padding !== 'valid') parts.push(l.padding);
      return `${kerasClass}(${parts.join(', ')})`;
    },
    fastStep: false,
    imageInput: true,
  };
}

export const maxPooling2d = poolDef<MaxPooling2DLayer>('maxPooling2d', 'MaxPooling2D', 'max_pooling2d', MaxPooling2DLayer);
export const averagePooling2d = poolDef<AveragePooling2DLayer>('averagePooling2d', 'AveragePooling2D', 'average_pooling2d', AveragePooling2DLayer);
