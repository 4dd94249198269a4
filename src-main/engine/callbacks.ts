/**
 * The training loop's callbacks, as Keras runs them after each epoch: EarlyStopping (patience,
 * min_delta, restore_best_weights) and ModelCheckpoint(save_best_only=True). Weights are kept as
 * copies of the model's variables, so both training paths (which update the variables in place)
 * are covered.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingSpec } from '../shared/spec.js';
import { isImprovement, type Monitor } from '../shared/callbacks.js';
import type { EpochMetrics } from './train.js';

/** The best value of one monitor so far, the epoch it came from and (when wanted) its weights. */
class Best {
  value: number | null = null;
  epoch: number | null = null;
  weights: tf.Tensor[] | null = null;

  constructor(readonly monitor: Monitor, private readonly minDelta: number, private readonly keep: boolean) {}

  /** @returns whether this epoch improved on the best */
  offer(m: EpochMetrics, model: tf.LayersModel): boolean {
    const value = m[this.monitor];
    if (!isImprovement(this.monitor, value, this.value, this.minDelta)) return false;
    this.value = value;
    this.epoch = m.epoch;
    if (this.keep) {
      tf.dispose(this.weights ?? []);
      this.weights = model.getWeights().map((w) => w.clone());
    }
    return true;
  }

  dispose(): void { tf.dispose(this.weights ?? []); this.weights = null; }
}

export interface CallbackOutcome {
  /** The epoch after which early stopping ended training; null when every epoch ran. */
  stoppedEpoch: number | null;
  /** The best epoch by the checkpoint's monitor, else early stopping's; null without either. */
  bestEpoch: number | null;
  /** The epoch whose weights the model holds now (and the run keeps). */
  modelEpoch: number;
}

export class EpochCallbacks {
  private readonly early: Best | null;
  private readonly checkpoint: Best | null;
  private wait = 0;
  private stopped: number | null = null;

  constructor(private readonly training: TrainingSpec, private readonly model: tf.LayersModel) {
    const es = training.earlyStopping;
    this.early = es ? new Best(es.monitor, es.minDelta, es.restoreBestWeights) : null;
    this.checkpoint = training.checkpoint ? new Best(training.checkpoint.monitor, 0, true) : null;
  }

  /** Call after each completed epoch. @returns true when early stopping ends training here */
  afterEpoch(m: EpochMetrics): boolean {
    this.checkpoint?.offer(m, this.model);
    const es = this.training.earlyStopping;
    if (!this.early || !es) return false;
    // Keras: wait counts epochs since the last improvement; never stops after the first epoch.
    this.wait++;
    if (this.early.offer(m, this.model)) { this.wait = 0; return false; }
    if (this.wait >= es.patience && m.epoch > 1 && Number.isFinite(m[es.monitor])) {
      this.stopped = m.epoch;
      if (this.early.weights) this.model.setWeights(this.early.weights);
      return true;
    }
    return false;
  }

  /**
   * Puts the weights the run keeps into the model: the checkpoint's best when there is one, else
   * what early stopping restored, else the last epoch's.
   */
  finish(lastEpoch: number): CallbackOutcome {
    let modelEpoch = lastEpoch;
    if (this.stopped !== null && this.early?.weights) modelEpoch = this.early.epoch!;
    if (this.checkpoint?.weights && this.checkpoint.epoch !== modelEpoch) {
      this.model.setWeights(this.checkpoint.weights);
      modelEpoch = this.checkpoint.epoch!;
    }
    const bestEpoch = this.checkpoint?.epoch ?? this.early?.epoch ?? null;
    return { stoppedEpoch: this.stopped, bestEpoch, modelEpoch };
  }

  dispose(): void {
    this.early?.dispose();
    this.checkpoint?.dispose();
  }
}
