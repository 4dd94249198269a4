/**
 * The hand-written training paths behind one interface: `native` (the addon, native/step.ts) and
 * `fast` (tfjs ops, fast-step.ts). train.ts runs epochs over a Stepper; a probe that wants to time
 * a few steps of a model on a rung can build one with makeStepper and call step() N times.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../shared/spec.js';
import { featureSize, type Dataset } from '../shared/dataset.js';
import { BatchBuilder } from './batches.js';
import { FastStep, scoreBatch } from './fast-step.js';
import { NativeStep, type NativeStepOptions } from './native/step.js';
import { tfPredictor, type Predict } from './evaluate.js';

export interface StepScore { lossSum: number; correct: number }

/** Whether the running tfjs backend should be read asynchronously (the GPU backends). */
export function readsAsync(): boolean {
  const b = tf.getBackend();
  return b === 'webgpu' || b === 'webgl';
}

export interface Stepper {
  /** One optimizer step on rows order[start..start+n): the batch's summed loss and correct count before the update. */
  step(order: Int32Array, start: number, n: number): StepScore | Promise<StepScore>;
  /** Inference on any dataset's rows with the weights as trained so far. */
  predict: Predict;
  /** Brings the tf model up to date with the trained weights (after an epoch, before saving). */
  sync(): void;
  dispose(): void;
  /** What runs the steps, for the record (e.g. "native avx512"). */
  readonly engine: string;
}

export interface StepperOptions {
  /** Fast path: products laid out for the wasm kernels (see wasm-kernels.ts). */
  planned?: boolean;
  native?: NativeStepOptions;
}

/** A stepper for `path` on `model` (built from `spec` with `seed`), reading `dataset`'s training rows. */
export function makeStepper(path: 'native' | 'fast', model: tf.LayersModel, spec: ModelSpec, dataset: Dataset, seed: number, options: StepperOptions = {}): Stepper {
  const inputSize = featureSize(spec.inputShape);
  const classes = dataset.classNames.length;
  if (path === 'native') {
    const step = new NativeStep(model, spec, seed, { inputSize, classes }, options.native);
    const { x, y } = dataset.train;
    step.useData(x, y, dataset.scale);
    return {
      engine: `native ${step.kernels}`,
      step: (order, start, n) => {
        step.useData(x, y, dataset.scale);
        return step.run(order, start, n);
      },
      predict: (features, rows) => {
        const split = features === dataset.test?.x ? dataset.test : dataset.train;
        step.useData(split.x, split.y, dataset.scale);
        return step.predict(rows, classes);
      },
      sync: () => step.writeBack(),
      dispose: () => step.dispose(),
    };
  }
  const step = new FastStep(model, spec, seed, { planned: options.planned ?? false });
  const builder = new BatchBuilder(dataset.train.x, dataset.train.y, inputSize, classes, dataset.scale, step.inputLayout);
  const deferred = readsAsync();
  return {
    engine: 'fast',
    step: deferred
      ? async (order, start, n) => {
        const batch = builder.fill(order, start, n);
        const labels = batch.labels.slice(0, n);
        const probs = step.runDeferred(batch);
        try {
          return scoreBatch(await probs.data() as Float32Array, labels, n);
        } finally {
          probs.dispose();
        }
      }
      : (order, start, n) => {
        const batch = builder.fill(order, start, n);
        return scoreBatch(step.run(batch), batch.labels, n);
      },
    predict: tfPredictor(model, spec.inputShape, dataset.scale),
    sync: () => undefined,
    dispose: () => step.dispose(),
  };
}
