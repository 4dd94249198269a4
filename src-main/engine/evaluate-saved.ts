/**
 * A saved model evaluated again: the run's stack rebuilt from its spec, its saved weights put in,
 * then the dataset's test split (or, without one, the run's own validation split) scored.
 */
import type { ModelSpec } from '../shared/spec.js';
import type { Dataset } from '../shared/dataset.js';
import { splitIndices } from '../shared/split.js';
import { buildModel } from './model.js';
import { evaluate, tfPredictor, type Evaluation, type Predict } from './evaluate.js';
import { loadWeights, type SavedModelFiles } from './save.js';
import { checkCompatible } from './train.js';

/** `limit`: the run's training limit; the test split is then cut as train() cuts it, so the numbers match. */
export async function evaluateSaved(spec: ModelSpec, dataset: Dataset, files: SavedModelFiles, limit?: number, also?: (predict: Predict) => Promise<void> | void): Promise<Evaluation> {
  checkCompatible(spec, dataset);
  const model = buildModel(spec);
  try {
    loadWeights(model, files);
    const predict = tfPredictor(model, spec.inputShape, dataset.scale);
    await also?.(predict);
    if (dataset.test) {
      const count = limit ? Math.min(dataset.test.count, Math.max(limit, 1000)) : dataset.test.count;
      const all = Int32Array.from({ length: count }, (_, i) => i);
      return await evaluate(predict, dataset.test.x, dataset.test.y, all, dataset.classNames, 'test');
    }
    const { val } = splitIndices(dataset.train.count, spec.training.validationSplit, spec.training.splitSeed, limit);
    return await evaluate(predict, dataset.train.x, dataset.train.y, val, dataset.classNames, 'validation');
  } finally {
    model.dispose();
  }
}
