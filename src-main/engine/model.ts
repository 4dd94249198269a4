/**
 * ModelSpec → tf.LayersModel, compiled. Pure function of the spec and the seed: every initializer
 * and dropout mask is seeded, so the same seed on the same backend gives the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, OptimizerSpec, Activation } from '../shared/spec.js';
import { deriveSeed } from '../shared/random.js';

type TfActivation = Parameters<typeof tf.layers.dense>[0]['activation'];

const ACTIVATION_NAMES: Record<Activation, string> = {
  linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', elu: 'elu',
  selu: 'selu', softplus: 'softplus', softsign: 'softsign', relu6: 'relu6', swish: 'swish',
  mish: 'mish', gelu: 'gelu', gelu_new: 'gelu_new', hard_sigmoid: 'hardSigmoid',
};

/** Builds the Sequential model the spec describes (not compiled). */
export function buildModel(spec: ModelSpec, seed = spec.training.seed): tf.Sequential {
  const model = tf.sequential();
  spec.layers.forEach((layer, i) => {
    const first = i === 0 ? { inputShape: spec.inputShape } : {};
    const layerSeed = deriveSeed(seed, i) % 2 ** 31;
    if (layer.type === 'flatten') {
      model.add(tf.layers.flatten({ ...first }));
    } else if (layer.type === 'dense') {
      model.add(tf.layers.dense({
        ...first,
        units: layer.units,
        activation: ACTIVATION_NAMES[layer.activation] as TfActivation,
        useBias: layer.useBias,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed }),
        biasInitializer: 'zeros',
      }));
    } else {
      model.add(tf.layers.dropout({ ...first, rate: layer.rate, seed: layerSeed }));
    }
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
