/**
 * One training epoch, two ways: a hand-written step (steppers.ts: native or fast) and the stock tf.LayersModel.fit.
 * Both report progress with the same hook, honour a stop between batches and flag a non-finite
 * loss; train.ts turns the outcome into epoch metrics and errors.
 */
import * as tf from '@tensorflow/tfjs';
import type { Stepper } from './steppers.js';
import { gatherLabels, gatherRows } from './tensors.js';
import type { BatchProgress } from './train.js';

/** Progress is reported, and the event loop given a turn (a stop request arrives there), this often. */
export const REPORT_INTERVAL_MS = 50;

export interface EpochContext {
  epoch: number;
  batchSize: number;
  /** Training rows in this epoch's (shuffled) order. */
  order: Int32Array;
  onBatch?(p: BatchProgress): void;
  shouldStop?(): boolean;
}

export interface EpochOutcome {
  /** Sample-weighted means over the batches run, as Keras' epoch logs. */
  loss: number;
  accuracy: number;
  /** Seconds spent in training steps. */
  seconds: number;
  stopped: boolean;
  nonFinite: boolean;
}

/**
 * Lets pending messages (a stop request) in without slowing the loop: a macrotask turn. Node has
 * setImmediate; a page (the GPU trainer) has none, and its setTimeout is clamped, so a message
 * through a MessageChannel takes the turn there.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}

export async function runStepEpoch(stepper: Stepper, ctx: EpochContext): Promise<EpochOutcome> {
  const { order, batchSize, epoch } = ctx;
  const batches = Math.ceil(order.length / batchSize);
  const started = performance.now();
  let lastReport = started;
  let lossSum = 0;
  let correct = 0;
  let seen = 0;
  for (let b = 0; b < batches; b++) {
    const start = b * batchSize;
    const n = Math.min(batchSize, order.length - start);
    const r = stepper.step(order, start, n);
    const s = r instanceof Promise ? await r : r;
    lossSum += s.lossSum;
    correct += s.correct;
    seen += n;
    if (!Number.isFinite(s.lossSum)) return { loss: NaN, accuracy: NaN, seconds: (performance.now() - started) / 1000, stopped: false, nonFinite: true };
    const now = performance.now();
    const lastBatch = b === batches - 1;
    if (lastBatch || now - lastReport >= REPORT_INTERVAL_MS) {
      ctx.onBatch?.({ epoch, batch: b + 1, batches, loss: lossSum / seen, accuracy: correct / seen });
      if (!lastBatch) await yieldToEventLoop();
      lastReport = performance.now();
    }
    if (ctx.shouldStop?.()) {
      return { loss: lossSum / seen, accuracy: correct / seen, seconds: (performance.now() - started) / 1000, stopped: true, nonFinite: false };
    }
  }
  return { loss: lossSum / seen, accuracy: correct / seen, seconds: (performance.now() - started) / 1000, stopped: false, nonFinite: false };
}

/** The stock path: model.fit for one epoch on the whole shuffled epoch as one tensor. */
export async function runStockEpoch(
  model: tf.LayersModel, data: { x: Parameters<typeof gatherRows>[0]; y: Int32Array; inputShape: number[]; scale: number }, ctx: EpochContext,
): Promise<EpochOutcome> {
  const { order, batchSize, epoch } = ctx;
  const batches = Math.ceil(order.length / batchSize);
  const rowSize = data.inputShape.reduce((a, b) => a * b, 1);
  const xs = tf.tensor(gatherRows(data.x, rowSize, order, data.scale), [order.length, ...data.inputShape]);
  const ys = tf.tensor1d(gatherLabels(data.y, order), 'float32');
  let nonFinite = false;
  let stopped = false;
  let lastYield = performance.now();
  try {
    const started = performance.now();
    const h = await model.fit(xs, ys, {
      epochs: 1, batchSize, shuffle: false, verbose: 0, yieldEvery: 'never',
      callbacks: {
        onBatchEnd: async (batch, logs) => {
          const loss = logs?.loss ?? NaN;
          if (!Number.isFinite(loss)) { nonFinite = true; model.stopTraining = true; return; }
          ctx.onBatch?.({ epoch, batch: batch + 1, batches, loss, accuracy: logs?.acc ?? NaN });
          if (performance.now() - lastYield >= REPORT_INTERVAL_MS) {
            await yieldToEventLoop();
            lastYield = performance.now();
          }
          if (ctx.shouldStop?.()) { stopped = true; model.stopTraining = true; }
        },
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (nonFinite || stopped) return { loss: NaN, accuracy: NaN, seconds, stopped, nonFinite };
    return { loss: h.history.loss[0] as number, accuracy: h.history.acc[0] as number, seconds, stopped: false, nonFinite: false };
  } finally {
    xs.dispose();
    ys.dispose();
  }
}
