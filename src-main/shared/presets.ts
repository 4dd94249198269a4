/**
 * The textbook's models (혼자 공부하는 머신러닝+딥러닝, chapter 7), as specs.
 * Fashion-MNIST, 48,000 / 12,000 split, 5 epochs, batch 32.
 */
import { ModelSpec, type ModelSpecInput, type OptimizerSpec } from './spec.js';

export interface Preset {
  name: string;
  /** One line for `layerlab presets` and the UI. */
  description: string;
  /** What the book reports, where it reports it. */
  book?: { trainAccuracy: number; valAccuracy: number };
  spec: ModelSpec;
}

const training = { epochs: 5, batchSize: 32, validationSplit: 0.2, seed: 1 };

function reluModel(optimizer: OptimizerSpec | { type: OptimizerSpec['type'] } & Record<string, unknown>): ModelSpecInput {
  return {
    inputShape: [28, 28],
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 100, activation: 'relu' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    optimizer: optimizer as ModelSpecInput['optimizer'],
    training,
  };
}

const inputs: Array<Omit<Preset, 'spec'> & { spec: ModelSpecInput }> = [
  {
    name: 'book-sigmoid',
    description: '784 → Dense(100, sigmoid) → Dense(10, softmax), RMSprop',
    book: { trainAccuracy: 0.880, valAccuracy: 0.871 },
    spec: {
      inputShape: [784],
      layers: [
        { type: 'dense', units: 100, activation: 'sigmoid' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
      optimizer: { type: 'rmsprop' },
      training,
    },
  },
  {
    name: 'book-relu',
    description: 'Flatten(28×28) → Dense(100, relu) → Dense(10, softmax), RMSprop',
    book: { trainAccuracy: 0.887, valAccuracy: 0.873 },
    spec: reluModel({ type: 'rmsprop' }),
  },
  { name: 'book-sgd', description: 'book-relu with SGD (learning rate 0.01)', spec: reluModel({ type: 'sgd' }) },
  { name: 'book-momentum', description: 'book-relu with SGD, momentum 0.9', spec: reluModel({ type: 'sgd', momentum: 0.9 }) },
  {
    name: 'book-nesterov',
    description: 'book-relu with SGD, momentum 0.9, Nesterov',
    spec: reluModel({ type: 'sgd', momentum: 0.9, nesterov: true }),
  },
  { name: 'book-adagrad', description: 'book-relu with Adagrad', spec: reluModel({ type: 'adagrad' }) },
  { name: 'book-rmsprop', description: 'book-relu with RMSprop', spec: reluModel({ type: 'rmsprop' }) },
  { name: 'book-adam', description: 'book-relu with Adam (learning rate 0.001)', spec: reluModel({ type: 'adam', learningRate: 0.001 }) },
];

export const PRESETS: readonly Preset[] = inputs.map((p) => ({ ...p, spec: ModelSpec.parse(p.spec) }));

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
