import { z } from 'zod';
import { activation, ACTIVATION_FIELD, positiveInt, py, USE_BIAS_FIELD } from './common.js';
import type { LayerDef } from './types.js';

export const DenseLayer = z.object({
  type: z.literal('dense'),
  units: positiveInt.max(65536),
  activation,
  useBias: z.boolean().default(true),
}).strict();
export type DenseLayer = z.infer<typeof DenseLayer>;

export const dense: LayerDef<DenseLayer> = {
  type: 'dense',
  kerasClass: 'Dense',
  kerasName: 'dense',
  schema: DenseLayer,
  fields: [
    { key: 'units', label: 'model.units', kind: 'int', min: 1, max: 65536, draft: 100, vary: true },
    ACTIVATION_FIELD,
    USE_BIAS_FIELD,
  ],
  // Keras applies Dense to the last axis: (28, 28) → (28, units).
  apply: (l, input) => {
    const inputs = input[input.length - 1];
    return { shape: [...input.slice(0, -1), l.units], params: inputs * l.units + (l.useBias ? l.units : 0) };
  },
  keras: (l) => `keras.layers.Dense(${[String(l.units), `activation=${py(l.activation)}`, ...(l.useBias ? [] : ['use_bias=False'])].join(', ')})`,
  describe: (l) => `Dense(${l.units}, ${l.activation}${l.useBias ? '' : ', no bias'})`,
  fastStep: true,
  imageInput: false,
};
