import { z } from 'zod';
import { positiveInt, product } from './common.js';
import type { LayerDef } from './types.js';

export const ReshapeLayer = z.object({
  type: z.literal('reshape'),
  /** One sample's new shape, e.g. [28, 28, 1] for 784-value rows. */
  targetShape: z.array(positiveInt.max(1 << 24)).min(1).max(3),
}).strict();
export type ReshapeLayer = z.infer<typeof ReshapeLayer>;

export const reshape: LayerDef<ReshapeLayer> = {
  type: 'reshape',
  kerasClass: 'Reshape',
  kerasName: 'reshape',
  schema: ReshapeLayer,
  fields: [{ key: 'targetShape', label: 'model.targetShape', kind: 'shape', draft: '28, 28, 1' }],
  apply: (l, input) => (product(l.targetShape) === product(input)
    ? { shape: [...l.targetShape], params: 0 }
    : { code: 'reshapeSize', target: [...l.targetShape], input: [...input] }),
  keras: (l) => `keras.layers.Reshape((${l.targetShape.join(', ')}${l.targetShape.length === 1 ? ',' : ''}))`,
  describe: (l) => `Reshape(${l.targetShape.join('×')})`,
  fastStep: false,
  imageInput: false,
};
