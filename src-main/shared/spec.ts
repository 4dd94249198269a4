/**
 * The model spec: a JSON-serialisable description of a Keras-style Sequential model, its optimizer
 * and its training settings. Defaults are Keras' own, so the textbook's code carries over.
 */
import { z } from 'zod';
import { featureSize } from './dataset.js';
import { message, messageText, type Message } from './messages.js';
import { LayerSpec, LAYERS, problemText, traceLayers, type LayerType } from './layers/index.js';
import { CheckpointSpec, EarlyStoppingSpec } from './callbacks.js';

export { ACTIVATIONS, LayerSpec, LAYERS, LAYER_TYPES, type Activation, type LayerType } from './layers/index.js';

// min(1), not positive(): a whole number is said "at least 1" like every other count (repeats, seeds).
const positiveInt = z.number().int().min(1);
const unitRate = z.number().min(0).lt(1);
const positive = z.number().positive();

/** Optimizers with Keras' defaults (keras.optimizers.*, TF 2.x). */
export const SgdOptimizer = z.object({
  type: z.literal('sgd'),
  learningRate: positive.default(0.01),
  momentum: z.number().min(0).max(1).default(0),
  nesterov: z.boolean().default(false),
}).strict();
export const AdagradOptimizer = z.object({
  type: z.literal('adagrad'),
  learningRate: positive.default(0.001),
  initialAccumulatorValue: z.number().min(0).default(0.1),
}).strict();
export const AdadeltaOptimizer = z.object({
  type: z.literal('adadelta'),
  learningRate: positive.default(0.001),
  rho: unitRate.default(0.95),
  epsilon: positive.default(1e-7),
}).strict();
export const RmspropOptimizer = z.object({
  type: z.literal('rmsprop'),
  learningRate: positive.default(0.001),
  rho: unitRate.default(0.9),
  momentum: z.number().min(0).max(1).default(0),
  epsilon: positive.default(1e-7),
  centered: z.boolean().default(false),
}).strict();
const adamFields = {
  learningRate: positive.default(0.001),
  beta1: unitRate.default(0.9),
  beta2: unitRate.default(0.999),
  epsilon: positive.default(1e-7),
};
export const AdamOptimizer = z.object({ type: z.literal('adam'), ...adamFields }).strict();
export const AdamaxOptimizer = z.object({ type: z.literal('adamax'), ...adamFields }).strict();
export const OptimizerSpec = z.discriminatedUnion('type', [
  SgdOptimizer, AdagradOptimizer, AdadeltaOptimizer, RmspropOptimizer, AdamOptimizer, AdamaxOptimizer,
]);
export type OptimizerSpec = z.infer<typeof OptimizerSpec>;
export type OptimizerType = OptimizerSpec['type'];
export const OPTIMIZER_TYPES: readonly OptimizerType[] = ['sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax'];

export const LOSSES = ['sparseCategoricalCrossentropy'] as const;

export const TrainingSpec = z.object({
  epochs: positiveInt.max(10000).default(5),
  batchSize: positiveInt.max(65536).default(32),
  /** Fraction of the training split held out for validation (the book: 0.2 → 48,000 / 12,000). */
  validationSplit: z.number().min(0).max(0.9).default(0.2),
  /** Seeds initializers, dropout and the per-epoch shuffle. */
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  /** Seeds the train/validation split; kept apart from `seed` so repeats share one split. */
  splitSeed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  /** Keras' EarlyStopping; absent: every epoch runs. */
  earlyStopping: EarlyStoppingSpec.optional(),
  /** Keras' ModelCheckpoint(save_best_only=True): the run keeps its best epoch's weights. */
  checkpoint: CheckpointSpec.optional(),
  /**
   * Validation samples (the same every epoch) the layer statistics are measured on; 0: none
   * recorded; absent: DEFAULT_PROBE_SIZE (shared/layer-stats.ts).
   */
  probeSize: z.number().int().min(0).max(4096).optional(),
}).strict().superRefine((t, ctx) => {
  // A callback that watches the validation set needs one (Keras would warn and do nothing).
  for (const key of ['earlyStopping', 'checkpoint'] as const) {
    const monitor = t[key]?.monitor;
    if (monitor?.startsWith('val') && t.validationSplit === 0) {
      ctx.addIssue({ code: 'custom', path: [key, 'monitor'], message: `watches ${monitor} but validationSplit is 0: hold out a validation split or watch loss / accuracy` });
    }
  }
});
export type TrainingSpec = z.infer<typeof TrainingSpec>;
/** The training fields that are plain numbers (the editor's number inputs). */
export const TRAINING_NUMBERS = ['epochs', 'batchSize', 'validationSplit', 'seed', 'splitSeed'] as const;

export const ModelSpec = z.object({
  /** Shape of one sample, without the batch dimension: [28, 28] or [784]. */
  inputShape: z.array(positiveInt.max(1 << 24)).min(1).max(4),
  layers: z.array(LayerSpec).min(1).max(64),
  optimizer: OptimizerSpec.default({ type: 'rmsprop', learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }),
  loss: z.enum(LOSSES).default('sparseCategoricalCrossentropy'),
  training: TrainingSpec.default({ epochs: 5, batchSize: 32, validationSplit: 0.2, seed: 1, splitSeed: 42 }),
}).strict().superRefine((spec, ctx) => {
  // Each layer must take what the one before it makes (a Conv2D needs an image, a window must fit).
  traceLayers(spec.inputShape, spec.layers).forEach((t, i) => {
    if (t && 'error' in t) ctx.addIssue({ code: 'custom', path: ['layers', i], message: problemText(t.error), params: { problem: t.error } });
  });
  const last = spec.layers[spec.layers.length - 1];
  if (!last || last.type !== 'dense') {
    ctx.addIssue({ code: 'custom', path: ['layers', spec.layers.length - 1], message: 'the last layer must be Dense (the output layer)' });
  }
});
export type ModelSpec = z.infer<typeof ModelSpec>;
/** What a user may write: every field with a default may be left out. */
export type ModelSpecInput = z.input<typeof ModelSpec>;

/** A failed field: its path in the spec ("layers.1.units") and what is wrong. */
export interface FieldError { path: string; message: string }

export type SpecResult = { ok: true; spec: ModelSpec } | { ok: false; errors: FieldError[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.') || '(root)';
}

/** Parses an untrusted spec; errors name the path of each bad field. */
export function parseModelSpec(input: unknown): SpecResult {
  const r = ModelSpec.safeParse(input);
  if (r.success) return { ok: true, spec: r.data };
  return { ok: false, errors: r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
}

/** One line naming every bad field, for the CLI. */
export function describeSpecErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}

/**
 * How a model whose first layer is `first` takes samples of `featureShape`: its input shape, and
 * whether a Flatten must go in front of the stack ('add') or come out ('remove'). A stack that
 * starts with an image layer (Conv2D, pooling) takes images as (height, width, channels): a
 * grayscale 28×28 sample becomes 28, 28, 1. Null when it cannot take them at all (flat rows).
 */
export function fitInput(first: LayerType | undefined, featureShape: readonly number[]): { inputShape: number[]; flatten: 'add' | 'remove' | 'keep' } | null {
  if (first && LAYERS[first].imageInput) {
    if (featureShape.length === 3) return { inputShape: [...featureShape], flatten: 'keep' };
    if (featureShape.length === 2) return { inputShape: [...featureShape, 1], flatten: 'keep' };
    return null;
  }
  if (featureShape.length > 1 && first !== 'flatten') return { inputShape: [...featureShape], flatten: 'add' };
  if (featureShape.length === 1 && first === 'flatten') return { inputShape: [...featureShape], flatten: 'remove' };
  return { inputShape: [...featureShape], flatten: 'keep' };
}

/**
 * The spec made to fit a dataset: its input shaped like the dataset's samples (see fitInput) and
 * its output layer sized to the classes. A spec that already fits (same number of input values, as
 * many outputs as classes) comes back unchanged: 784 and 28×28 both fit Fashion-MNIST.
 */
export function fitToDataset(spec: ModelSpec, featureShape: readonly number[], classes: number): ModelSpec {
  const layers = [...spec.layers];
  const last = layers[layers.length - 1];
  const outputFits = last.type !== 'dense' || classes < 2 || last.units === classes;
  if (featureSize(spec.inputShape) === featureSize(featureShape) && outputFits) return spec;
  if (!outputFits && last.type === 'dense') layers[layers.length - 1] = { ...last, units: classes };
  const input = fitInput(layers[0].type, featureShape);
  if (!input) return { ...spec, layers };
  if (input.flatten === 'add') layers.unshift({ type: 'flatten' });
  if (input.flatten === 'remove') layers.shift();
  return { ...spec, inputShape: input.inputShape, layers };
}

/** Why a model cannot train on a dataset, in words that say how to fix it; null when it can. */
export function specFitError(spec: Pick<ModelSpec, 'inputShape' | 'layers'>, dataset: { name: string; featureShape: readonly number[]; classNames: readonly string[] }): string | null {
  const m = specFit(spec, dataset);
  return m ? messageText(m) : null;
}

/** specFitError as a coded message (`spec.*`), for a page to say in the user's language. */
export function specFit(spec: Pick<ModelSpec, 'inputShape' | 'layers'>, dataset: { name: string; featureShape: readonly number[]; classNames: readonly string[] }): Message | null {
  const want = featureSize(spec.inputShape);
  const have = featureSize(dataset.featureShape);
  if (want !== have) {
    return message('spec.inputMismatch', { shape: spec.inputShape.join(', '), want, dataset: dataset.name, featureShape: dataset.featureShape.join(', '), have });
  }
  const last = spec.layers[spec.layers.length - 1];
  const k = dataset.classNames.length;
  if (last.type === 'dense' && last.units !== k) {
    return message('spec.unitsMismatch', { units: last.units, dataset: dataset.name, classes: k });
  }
  return null;
}
