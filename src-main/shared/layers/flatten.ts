import { z } from 'zod';
import { product } from './common.js';
import type { LayerDef } from './types.js';

export const FlattenLayer = z.object({ type: z.literal('flatten') }).strict();
export type FlattenLayer = z.infer<typeof FlattenLayer>;

export const flatten: LayerDef<FlattenLayer> = {
  type: 'flatten',
  kerasClass: 'Flatten',
  kerasName: 'flatten',
  schema: FlattenLayer,
  fields: [],
  apply: (_l, input) => ({ shape: [product(input)], params: 0 }),
  keras: () => 'keras.layers.Flatten()',
  describe: () => 'Flatten',
  fastStep: true,
  imageInput: false,
};
