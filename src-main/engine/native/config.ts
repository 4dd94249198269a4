/**
 * What the native step trains, and the config vector that describes a model to the addon
 * (native/src/net.c reads it). A layer type is either a native op or the reason it is not one:
 * NATIVE_LAYERS is keyed on every LayerType, so a new type cannot be forgotten here.
 */
import { ACTIVATIONS, type Activation, type LayerSpec, type LayerType, type ModelSpec, type OptimizerSpec } from '../../shared/spec.js';
import { deriveSeed } from '../../shared/random.js';

/** Activations in the addon's numbering (native/src/activations.h): all of tfjs-layers'. */
export const NATIVE_ACTIVATIONS: readonly Activation[] = ACTIVATIONS;

/** One op of the native stack; flatten needs none (rows are already flat). */
export type NativeOp =
  | { kind: 'dense'; layer: number; units: number; activation: Activation; useBias: boolean }
  | { kind: 'dropout'; layer: number; rate: number };

type LayerOf<K extends LayerType> = Extract<LayerSpec, { type: K }>;
/** Per type: the op (null: nothing to do) given the layer and the rank of its input, or why not. */
type NativeRule<K extends LayerType> = (layer: LayerOf<K>, index: number, rank: number) => NativeOp | null | string;

const NATIVE_LAYERS: { [K in LayerType]: NativeRule<K> } = {
  flatten: () => null,
  dense: (layer, index, rank) => rank !== 1
    ? `layer ${index} is Dense on a rank-${rank} input (no Flatten before it)`
    : { kind: 'dense', layer: index, units: layer.units, activation: layer.activation, useBias: layer.useBias },
  dropout: (layer, index) => (layer.rate > 0 ? { kind: 'dropout', layer: index, rate: layer.rate } : null),
  conv2d: (_l, index) => notNative(index, 'Conv2D'),
  maxPooling2d: (_l, index) => notNative(index, 'MaxPooling2D'),
  averagePooling2d: (_l, index) => notNative(index, 'AveragePooling2D'),
  reshape: (_l, index) => notNative(index, 'Reshape'),
};

function notNative(index: number, kerasClass: string): string {
  return `layer ${index} is ${kerasClass}, which the native step does not train (it trains Flatten, Dense and Dropout stacks)`;
}

/** The native ops of a spec, or why the native step cannot train it. */
export function nativeOps(spec: ModelSpec): NativeOp[] | string {
  const ops: NativeOp[] = [];
  let rank = spec.inputShape.length;
  for (const [i, layer] of spec.layers.entries()) {
    const rule = NATIVE_LAYERS[layer.type] as NativeRule<LayerType> | undefined;
    if (!rule) return `layer ${i} is ${layer.type}, which the native step does not train (it trains Flatten, Dense and Dropout stacks)`;
    const op = rule(layer, i, rank);
    if (typeof op === 'string') return op;
    if (layer.type === 'flatten') rank = 1;
    if (op) ops.push(op);
  }
  if (!ops.some((op) => op.kind === 'dense')) return 'the model has no Dense layer';
  return ops;
}

/** Why the native step cannot train this spec, or null when it can. */
export function nativeUnsupportedReason(spec: ModelSpec): string | null {
  const ops = nativeOps(spec);
  return typeof ops === 'string' ? ops : null;
}

const OPTIMIZER_CODES: Record<OptimizerSpec['type'], number> = { sgd: 1, adagrad: 3, adadelta: 4, rmsprop: 5, adam: 6, adamax: 7 };
const DENSE = 1;
const DROPOUT = 2;

/**
 * The config vector: [format 1, input size, classes, op count], then 6 numbers per op (kind,
 * units, activation, useBias, dropout rate, dropout stream seed), then the optimizer's 10 (rule,
 * learningRate, momentum, nesterov, rho, epsilon, centered, beta1, beta2, initialAccumulatorValue).
 * Dropout streams are seeded as the fast step's, so both draw the same masks.
 */
export function encodeConfig(spec: ModelSpec, ops: NativeOp[], inputSize: number, classes: number, seed: number): Float64Array {
  const head = [1, inputSize, classes, ops.length];
  const body = ops.flatMap((op) => op.kind === 'dense'
    ? [DENSE, op.units, NATIVE_ACTIVATIONS.indexOf(op.activation), op.useBias ? 1 : 0, 0, 0]
    : [DROPOUT, 0, 0, 0, op.rate, deriveSeed(seed, 3000 + op.layer)]);
  const o = spec.optimizer;
  const field = (name: string, fallback = 0): number => {
    const v = (o as Record<string, unknown>)[name];
    return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : fallback;
  };
  const optimizer = [
    OPTIMIZER_CODES[o.type], o.learningRate, field('momentum'), field('nesterov'), field('rho'), field('epsilon'),
    field('centered'), field('beta1'), field('beta2'), field('initialAccumulatorValue'),
  ];
  return Float64Array.from([...head, ...body, ...optimizer]);
}
