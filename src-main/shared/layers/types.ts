/** The shape of one entry of the layer registry (see index.ts). */
import type { z } from 'zod';
import type { LayerField, LayerOutcome, LayerProblem } from './common.js';

export interface LayerDef<T extends { type: string }> {
  type: T['type'];
  /** Keras' class name, as its summary prints it: Dense, Conv2D, MaxPooling2D. */
  kerasClass: string;
  /** Keras' automatic layer name: dense, conv2d, max_pooling2d (then dense_1, …). */
  kerasName: string;
  /** The spec of one layer, with Keras' defaults; strict, so a misspelt field is an error. */
  schema: z.ZodType<T>;
  /** What the model editor shows, in order. */
  fields: readonly LayerField[];
  /**
   * Output shape and trainable parameter count for one sample of shape `input` (no batch axis),
   * as Keras computes them; or why the layer cannot take it.
   */
  apply(layer: T, input: readonly number[]): LayerOutcome | LayerProblem;
  /** The Keras constructor call: "keras.layers.Dense(100, activation='relu')". */
  keras(layer: T): string;
  /** A short name for people and for "what differs": "Dense(100, relu)". */
  describe(layer: T): string;
  /** Whether the fast training step (engine/fast-step.ts) trains this layer type. */
  fastStep: boolean;
  /**
   * Whether the layer slides over an image (height, width, channels): a model starting with one
   * takes multi-dimensional samples as they are instead of behind a Flatten.
   */
  imageInput: boolean;
}
