/**
 * Keras' EarlyStopping and ModelCheckpoint(save_best_only=True) as data and pure rules, so the
 * trainer, the store's readers and the curves all agree on what "better" and "best" mean.
 */
import { z } from 'zod';

/** What a callback watches: an epoch's metric, by our names (Keras: val_loss, val_accuracy, …). */
export const MONITORS = ['valLoss', 'valAccuracy', 'loss', 'accuracy'] as const;
export type Monitor = (typeof MONITORS)[number];

/** Keras' EarlyStopping(monitor='val_loss', min_delta=0, patience=0, restore_best_weights=False). */
export const EarlyStoppingSpec = z.object({
  monitor: z.enum(MONITORS).default('valLoss'),
  patience: z.number().int().min(0).max(1000).default(0),
  minDelta: z.number().min(0).default(0),
  restoreBestWeights: z.boolean().default(false),
}).strict();
export type EarlyStoppingSpec = z.infer<typeof EarlyStoppingSpec>;

/** Keras' ModelCheckpoint(save_best_only=True): the run keeps its best epoch's weights. */
export const CheckpointSpec = z.object({ monitor: z.enum(MONITORS).default('valLoss') }).strict();
export type CheckpointSpec = z.infer<typeof CheckpointSpec>;

/** Keras' mode 'auto': accuracies should rise, losses fall. */
export function higherIsBetter(monitor: Monitor): boolean {
  return monitor === 'valAccuracy' || monitor === 'accuracy';
}

/**
 * Keras' _is_improvement: better than `best` by more than `minDelta`. A missing value (NaN: no
 * validation split) never improves; the first real value always does.
 */
export function isImprovement(monitor: Monitor, value: number, best: number | null, minDelta = 0): boolean {
  if (!Number.isFinite(value)) return false;
  if (best === null) return true;
  return higherIsBetter(monitor) ? value - minDelta > best : value + minDelta < best;
}

/** The epoch (1-based) with the best value of `monitor`, the first of equals; null if none has one. */
export function bestEpochOf(epochs: ReadonlyArray<{ epoch: number } & Record<Monitor, number>>, monitor: Monitor, minDelta = 0): number | null {
  let best: number | null = null;
  let at: number | null = null;
  for (const e of epochs) {
    if (isImprovement(monitor, e[monitor], best, minDelta)) { best = e[monitor]; at = e.epoch; }
  }
  return at;
}
