/**
 * ModelSpec → tf.LayersModel, compiled. Pure function of the spec and the seed: every initializer
 * and dropout mask is seeded, so the same seed on the same backend gives the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, OptimizerSpec, Activation } from '../shared/spec.js';
import type { LayerOf, LayerSpec, LayerType } from '../shared/layers/index.js';
import { deriveSeed } from '../shared/random.js';
import { streamDropout } from './stream-dropout.js';

type TfActivation = Parameters<typeof tf.layers.dense>[0]['activation'];

const ACTIVATION_NAMES: Record<Activation, string> = {
  linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', elu: 'elu',
  selu: 'selu', softplus: 'softplus', softsign: 'softsign', relu6: 'relu6', swish: 'swish',
  mish: 'mish', gelu: 'gelu', gelu_new: 'gelu_new', hard_sigmoid: 'hardSigmoid',
};

/** What every layer is built with: the input shape when it is the first layer, and its seed. */
interface BuildContext { first: { inputShape?: number[] }; seed: number }

/** One builder per layer type: the compiler names a type that has none. */
const BUILDERS: { [K in LayerType]: (layer: LayerOf<K>, c: BuildContext) => tf.layers.Layer } = {
  flatten: (_l, c) => tf.layers.flatten({ ...c.first }),
  dense: (l, c) => tf.layers.dense({
    ...c.first,
    units: l.units,
    activation: ACTIVATION_NAMES[l.activation] as TfActivation,
    useBias: l.useBias,
    kernelInitializer: tf.initializers.glorotUniform({ seed: c.seed }),
    biasInitializer: 'zeros',
  }),
  dropout: (l, c) => streamDropout({ ...c.first, rate: l.rate, seed: c.seed }),
  conv2d: (l, c) => tf.layers.conv2d({
    ...c.first,
    filters: l.filters,
    kernelSize: l.kernelSize,
    strides: l.strides,
    padding: l.padding,
    activation: ACTIVATION_NAMES[l.activation] as TfActivation,
    useBias: l.useBias,
    kernelInitializer: tf.initializers.glorotUniform({ seed: c.seed }),
    biasInitializer: 'zeros',
  }),
  maxPooling2d: (l, c) => tf.layers.maxPooling2d({ ...c.first, poolSize: l.poolSize, strides: l.strides ?? l.poolSize, padding: l.padding }),
  averagePooling2d: (l, c) => tf.layers.averagePooling2d({ ...c.first, poolSize: l.poolSize, strides: l.strides ?? l.poolSize, padding: l.padding }),
  reshape: (l, c) => tf.layers.reshape({ ...c.first, targetShape: l.targetShape }),
};

function buildLayer(layer: LayerSpec, c: BuildContext): tf.layers.Layer {
  return (BUILDERS[layer.type] as (l: LayerSpec, c: BuildContext) => tf.layers.Layer)(layer, c);
}

/** Builds the Sequential model the spec describes (not compiled). */
export function buildModel(spec: ModelSpec, seed = spec.training.seed): tf.Sequential {
  const model = tf.sequential();
  spec.layers.forEach((layer, i) => {
    const first = i === 0 ? { inputShape: spec.inputShape } : {};
    model.add(buildLayer(layer, { first, seed: deriveSeed(seed, i) % 2 ** 31 }));
  });
  return model;
}

export function buildOptimizer(o: OptimizerSpec): tf.Optimizer {
  switch (o.type) {
    case 'sgd':
      return o.momentum > 0 ? tf.train.momentum(o.learningRate, o.momentum, o.nesterov) : tf.train.sgd(o.learningRate);
    case 'adagrad':
      return tf.train.adagrad(o.learningRate, o.initialAccumulatorValue);
    case 'adadelta':
      return tf.train.adadelta(o.learningRate, o.rho, o.epsilon);
    case 'rmsprop':
      return tf.train.rmsprop(o.learningRate, o.rho, o.momentum, o.epsilon, o.centered);
    case 'adam':
      return tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
    case 'adamax':
      return tf.train.adamax(o.learningRate, o.beta1, o.beta2, o.epsilon);
  }
}

/** Builds and compiles: sparse categorical cross-entropy, accuracy. */
export function buildCompiledModel(spec: ModelSpec, seed = spec.training.seed): tf.Sequential {
  const model = buildModel(spec, seed);
  model.compile({ optimizer: buildOptimizer(spec.optimizer), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
