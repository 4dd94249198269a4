/**
 * The spec as Keras Python code that rebuilds the same model and compile call, so a learner can
 * carry a model from Layerlab back to the textbook's notebook.
 */
import type { ModelSpec, OptimizerSpec } from './spec.js';
import { kerasLayer, py } from './layers/index.js';

const OPTIMIZER_CLASS: Record<OptimizerSpec['type'], string> = {
  sgd: 'SGD', adagrad: 'Adagrad', adadelta: 'Adadelta', rmsprop: 'RMSprop', adam: 'Adam', adamax: 'Adamax',
};

function optimizerArgs(o: OptimizerSpec): string {
  const args: string[] = [`learning_rate=${py(o.learningRate)}`];
  switch (o.type) {
    case 'sgd':
      if (o.momentum) args.push(`momentum=${py(o.momentum)}`);
      if (o.nesterov) args.push('nesterov=True');
      break;
    case 'adagrad': args.push(`initial_accumulator_value=${py(o.initialAccumulatorValue)}`); break;
    case 'adadelta': args.push(`rho=${py(o.rho)}`, `epsilon=${py(o.epsilon)}`); break;
    case 'rmsprop':
      args.push(`rho=${py(o.rho)}`, `momentum=${py(o.momentum)}`, `epsilon=${py(o.epsilon)}`);
      if (o.centered) args.push('centered=True');
      break;
    case 'adam': case 'adamax':
      args.push(`beta_1=${py(o.beta1)}`, `beta_2=${py(o.beta2)}`, `epsilon=${py(o.epsilon)}`);
  }
  return args.join(', ');
}

export function kerasCode(spec: ModelSpec): string {
  const lines = ['from tensorflow import keras', '', 'model = keras.Sequential()'];
  lines.push(`model.add(keras.Input(shape=(${spec.inputShape.join(', ')}${spec.inputShape.length === 1 ? ',' : ''})))`);
  for (const layer of spec.layers) lines.push(`model.add(${kerasLayer(layer)})`);
  lines.push(
    '',
    `optimizer = keras.optimizers.${OPTIMIZER_CLASS[spec.optimizer.type]}(${optimizerArgs(spec.optimizer)})`,
    "model.compile(optimizer=optimizer, loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
    'model.summary()',
    '',
    `# keras.utils.set_random_seed(${spec.training.seed})`,
    `# model.fit(train_scaled, train_target, epochs=${spec.training.epochs}, batch_size=${spec.training.batchSize},`,
    '#           validation_data=(val_scaled, val_target))',
  );
  return lines.join('\n') + '\n';
}
