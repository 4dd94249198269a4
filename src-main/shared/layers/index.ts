/**
 * The layer registry: every layer type Layerlab knows, described once. Its schema (with Keras'
 * defaults), shape and parameter arithmetic, Keras code, editor fields and i18n keys live in the
 * type's own file; the spec, the summary, the Keras export, the editor and the experiments read
 * them from here. Code that must do something per type outside shared/ (building the tf layer,
 * the fast training step) keys a Record on LayerType, so the compiler names what a new type lacks.
 *
 * To add a layer type: write its file beside these, add it to SCHEMAS and LAYERS below, add its
 * builder in engine/model.ts (and the fast step's, if `fastStep`), its i18n keys in en.ts/ko.ts.
 */
import { z } from 'zod';
import type { LayerOutcome, LayerProblem } from './common.js';
import type { LayerDef } from './types.js';
import { flatten, FlattenLayer } from './flatten.js';
import { dense, DenseLayer } from './dense.js';
import { dropout, DropoutLayer } from './dropout.js';
import { conv2d, Conv2DLayer } from './conv2d.js';
import { averagePooling2d, AveragePooling2DLayer, maxPooling2d, MaxPooling2DLayer } from './pooling.js';
import { reshape, ReshapeLayer } from './reshape.js';

const SCHEMAS = [FlattenLayer, DenseLayer, DropoutLayer, Conv2DLayer, MaxPooling2DLayer, AveragePooling2DLayer, ReshapeLayer] as const;

export const LayerSpec = z.discriminatedUnion('type', SCHEMAS);
export type LayerSpec = z.infer<typeof LayerSpec>;
export type LayerType = LayerSpec['type'];
export type LayerOf<K extends LayerType> = Extract<LayerSpec, { type: K }>;

/** Every type once; the order is the editor's menu order. */
export const LAYERS: { readonly [K in LayerType]: LayerDef<LayerOf<K>> } = {
  dense, dropout, flatten, conv2d, maxPooling2d, averagePooling2d, reshape,
};
export const LAYER_TYPES = Object.keys(LAYERS) as LayerType[];

export function isLayerType(v: unknown): v is LayerType {
  return typeof v === 'string' && Object.hasOwn(LAYERS, v);
}

/** The registry entry for a layer, typed for it. */
export function defOf<L extends LayerSpec>(layer: L): LayerDef<L> {
  return LAYERS[layer.type] as unknown as LayerDef<L>;
}

export function applyLayer(layer: LayerSpec, input: readonly number[]): LayerOutcome | LayerProblem {
  return defOf(layer).apply(layer, input);
}

export function isProblem(r: LayerOutcome | LayerProblem): r is LayerProblem {
  return 'code' in r;
}

export function describeLayer(layer: LayerSpec): string {
  return defOf(layer).describe(layer);
}

export function kerasLayer(layer: LayerSpec): string {
  return defOf(layer).keras(layer);
}

/** One layer's place in the stack: what it outputs, or why it cannot take its input. */
export type LayerTrace = LayerOutcome | { error: LayerProblem };

/**
 * Each layer's output shape and parameters, from the input shape on; after a layer that cannot
 * take its input the rest are unknown (null).
 */
export function traceLayers(inputShape: readonly number[], layers: readonly LayerSpec[]): (LayerTrace | null)[] {
  let shape: readonly number[] | null = inputShape;
  return layers.map((layer) => {
    if (!shape) return null;
    const r = applyLayer(layer, shape);
    if (isProblem(r)) {
      shape = null;
      return { error: r };
    }
    shape = r.shape;
    return r;
  });
}

export * from './common.js';
export type { LayerDef } from './types.js';
export { FlattenLayer, DenseLayer, DropoutLayer, Conv2DLayer, MaxPooling2DLayer, AveragePooling2DLayer, ReshapeLayer };
