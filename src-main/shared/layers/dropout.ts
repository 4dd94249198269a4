import { z } from 'zod';
import { py, unitRate } from './common.js';
import type { LayerDef } from './types.js';

export const DropoutLayer = z.object({ type: z.literal('dropout'), rate: unitRate }).strict();
export type DropoutLayer = z.infer<typeof DropoutLayer>;

export const dropout: LayerDef<DropoutLayer> = {
  type: 'dropout',
  kerasClass: 'Dropout',
  kerasName: 'dropout',
  schema: DropoutLayer,
  fields: [{ key: 'rate', label: 'model.rate', kind: 'number', min: 0, max: 0.95, step: 0.05, draft: 0.3, vary: true }],
  apply: (_l, input) => ({ shape: [...input], params: 0 }),
  keras: (l) => `keras.layers.Dropout(${py(l.rate)})`,
  describe: (l) => `Dropout(${l.rate})`,
  fastStep: true,
  imageInput: false,
};
