/**
 * The textbook's models (혼자 공부하는 머신러닝+딥러닝, chapters 7 and 8), as specs.
 * Fashion-MNIST, 48,000 / 12,000 split, batch 32; chapter 7-1/7-2: 5 epochs; 7-3 and 8-2: up to
 * 20 epochs with early stopping (patience 2, best weights restored) and a best-only checkpoint.
 */
import { ModelSpec, type ModelSpecInput, type OptimizerSpec } from './spec.js';

export interface Preset {
  name: string;
  /** One line for `layerlab presets` and the UI. */
  description: string;
  /** What the book reports, where it reports it. */
  book?: BookFigures;
  spec: ModelSpec;
}

export interface BookFigures {
  /** Train and val score of the epoch the model keeps (the book's table). */
  trainAccuracy?: number;
  valAccuracy: number;
  valLoss?: number;
  /** Early stopping: the epoch it ended training after, and the best (kept) epoch, 1-based. */
  stoppedEpoch?: number;
  bestEpoch?: number;
  testAccuracy?: number;
  /** Where the figures come from. */
  source: string;
}

const BOOK = 'the book';
/** The book's companion notebooks, as rerun by its author (rickiepark/hg-mldl, Colab, Keras 3). */
const NOTEBOOKS = 'the book\'s notebooks: rickiepark/hg-mldl, Keras 3 on Colab';

/** The book's figures in one line, for the CLI. */
export function bookText(b: BookFigures): string {
  const parts = [b.trainAccuracy === undefined ? `val ${b.valAccuracy.toFixed(3)}` : `train ${b.trainAccuracy.toFixed(3)} / val ${b.valAccuracy.toFixed(3)}`];
  if (b.valLoss !== undefined) parts.push(`val loss ${b.valLoss.toFixed(3)}`);
  if (b.stoppedEpoch !== undefined) parts.push(`stopped after epoch ${b.stoppedEpoch}, best ${b.bestEpoch}`);
  if (b.testAccuracy !== undefined) parts.push(`test ${b.testAccuracy.toFixed(3)}`);
  return `${parts.join(', ')} (${b.source})`;
}

/** Chapter 7-3 and 8-2: Adam, up to 20 epochs, EarlyStopping(patience=2, restore_best_weights=True), ModelCheckpoint(save_best_only=True). */
const stopEarly = {
  epochs: 20, batchSize: 32, validationSplit: 0.2, seed: 1,
  earlyStopping: { monitor: 'valLoss', patience: 2, restoreBestWeights: true },
  checkpoint: { monitor: 'valLoss' },
} as const;

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

/** Four hidden Dense(100) layers. */
function deep(activation: 'sigmoid' | 'relu'): ModelSpecInput['layers'] {
  return Array.from({ length: 4 }, () => ({ type: 'dense' as const, units: 100, activation }));
}

const inputs: Array<Omit<Preset, 'spec'> & { spec: ModelSpecInput }> = [
  {
    name: 'book-sigmoid',
    description: '784 → Dense(100, sigmoid) → Dense(10, softmax), RMSprop',
    book: { trainAccuracy: 0.880, valAccuracy: 0.871, source: BOOK },
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
    book: { trainAccuracy: 0.887, valAccuracy: 0.873, source: BOOK },
    spec: reluModel({ type: 'rmsprop' }),
  },
  // Chapter 7-2's "two more layers" question: the same models four hidden layers deep. Layer
  // statistics show sigmoid's gradients shrinking toward the first layer; the comparison says
  // whether the depth helped.
  {
    name: 'book-deep-sigmoid',
    description: '784 → 4 × Dense(100, sigmoid) → Dense(10, softmax), RMSprop (book-sigmoid, four hidden layers)',
    spec: {
      inputShape: [784],
      layers: [...deep('sigmoid'), { type: 'dense', units: 10, activation: 'softmax' }],
      optimizer: { type: 'rmsprop' },
      training,
    },
  },
  {
    name: 'book-deep-relu',
    description: 'Flatten(28×28) → 4 × Dense(100, relu) → Dense(10, softmax), RMSprop (book-relu, four hidden layers)',
    spec: {
      inputShape: [28, 28],
      layers: [{ type: 'flatten' }, ...deep('relu'), { type: 'dense', units: 10, activation: 'softmax' }],
      optimizer: { type: 'rmsprop' },
      training,
    },
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
  {
    name: 'book-dropout',
    description: 'Flatten → Dense(100, relu) → Dropout(0.3) → Dense(10, softmax), Adam, up to 20 epochs, early stopping (patience 2, best weights)',
    // Keras' stopped_epoch 16 counts from 0: training ended after the 17th epoch, the 15th was best.
    book: { valAccuracy: 0.886, valLoss: 0.323, stoppedEpoch: 17, bestEpoch: 15, source: NOTEBOOKS },
    spec: {
      inputShape: [28, 28],
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 100, activation: 'relu' },
        { type: 'dropout', rate: 0.3 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
      optimizer: { type: 'adam' },
      training: stopEarly,
    },
  },
  {
    name: 'book-cnn',
    description: 'Conv2D(32, 3, relu, same) → MaxPooling2D(2) → Conv2D(64, 3, relu, same) → MaxPooling2D(2) → Flatten → Dense(100, relu) → Dropout(0.4) → Dense(10, softmax), Adam, up to 20 epochs, early stopping',
    book: { trainAccuracy: 0.918, valAccuracy: 0.920, valLoss: 0.219, stoppedEpoch: 8, bestEpoch: 6, testAccuracy: 0.913, source: NOTEBOOKS },
    spec: {
      inputShape: [28, 28, 1],
      layers: [
        { type: 'conv2d', filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' },
        { type: 'maxPooling2d', poolSize: 2 },
        { type: 'conv2d', filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' },
        { type: 'maxPooling2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 100, activation: 'relu' },
        { type: 'dropout', rate: 0.4 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
      optimizer: { type: 'adam' },
      training: stopEarly,
    },
  },
];

export const PRESETS: readonly Preset[] = inputs.map((p) => ({ ...p, spec: ModelSpec.parse(p.spec) }));

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
