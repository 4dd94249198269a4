/**
 * The `auto` choice's measurement: a few training steps of this model on the backend that is
 * running, timed after one warm-up step (shader compilation, first allocations), on the run's own
 * training rows. Nothing is kept: the probe's model is thrown away.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../shared/spec.js';
import type { Dataset } from '../shared/dataset.js';
import { splitIndices } from '../shared/split.js';
import { buildCompiledModel } from './model.js';
import { fastUnsupportedReason } from './fast-step.js';
import { makeStepper } from './steppers.js';
import { runStockEpoch } from './epochs.js';
import { installWasmKernels } from './wasm-install.js';

export interface ProbeResult { samplesPerSecond: number; steps: number }

/**
 * Times up to `steps` training steps of `spec` (after one warm-up step) on the current tfjs
 * backend, stopping early once `budgetMs` of timed steps have run.
 */
export async function probeTraining(spec: ModelSpec, dataset: Dataset, steps: number, path: 'native' | 'fast' | 'stock' = 'fast', budgetMs = 500): Promise<ProbeResult> {
  const { batchSize, validationSplit, splitSeed, seed } = spec.training;
  const rows = splitIndices(dataset.train.count, validationSplit, splitSeed, batchSize * (steps + 1)).train;
  const planned = tf.getBackend() === 'wasm' && installWasmKernels();
  const model = buildCompiledModel(spec, seed);
  try {
    const usable = path === 'stock' || fastUnsupportedReason(spec, model) ? 'stock' : path;
    if (usable === 'stock') {
      const run = (order: Int32Array) => runStockEpoch(model, { x: dataset.train.x, y: dataset.train.y, inputShape: spec.inputShape, scale: dataset.scale }, { epoch: 1, batchSize, order });
      await run(rows.subarray(0, Math.min(batchSize, rows.length)));
      const timed = rows.subarray(Math.min(batchSize, rows.length));
      const r = await run(timed.length ? timed : rows);
      return { samplesPerSecond: (timed.length || rows.length) / Math.max(r.seconds, 1e-6), steps: Math.ceil((timed.length || rows.length) / batchSize) };
    }
    const stepper = makeStepper(usable, model, spec, dataset, seed, { planned });
    try {
      const first = Math.min(batchSize, rows.length);
      await stepper.step(rows, 0, first);
      let done = 0;
      let n = 0;
      const started = performance.now();
      // Timed steps stop at `steps` or once the budget is spent (a slow rung needs no more to lose).
      for (let start = first; start < rows.length && (n === 0 || performance.now() - started < budgetMs); start += batchSize) {
        const size = Math.min(batchSize, rows.length - start);
        await stepper.step(rows, start, size);
        done += size;
        n++;
      }
      if (n === 0) {
        const t = performance.now();
        await stepper.step(rows, 0, first);
        return { samplesPerSecond: first / Math.max((performance.now() - t) / 1000, 1e-6), steps: 1 };
      }
      return { samplesPerSecond: done / Math.max((performance.now() - started) / 1000, 1e-6), steps: n };
    } finally {
      stepper.dispose();
    }
  } finally {
    model.dispose();
  }
}
