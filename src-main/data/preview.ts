/**
 * A dataset at a glance: a few samples per class, class counts, feature statistics.
 * Pure: works on any Dataset (built-in, cached or generated), reads only its training split.
 */
import { featureSize, type Dataset } from '../shared/dataset.js';
import type { DatasetPreview } from '../shared/datasets.js';

export interface PreviewOptions {
  /** Samples shown per class (the first ones in file order). */
  perClass: number;
  /** Shown as pictures; default: a feature shape of 2 or 3 dimensions. */
  isImage?: boolean;
  /** Names of tabular features, for the statistics; default 'feature 1', 'feature 2', … */
  featureNames?: string[];
}

/** More features than this get one overall statistic instead of one per feature. */
const MAX_FEATURE_STATS = 256;

export function datasetPreview(dataset: Dataset, options: PreviewOptions): DatasetPreview {
  const { train, classNames, featureShape } = dataset;
  const size = featureSize(featureShape);
  const isImage = options.isImage ?? featureShape.length >= 2;
  const perClass = Math.max(0, Math.floor(options.perClass));

  const classCounts = new Array<number>(classNames.length).fill(0);
  const shown = new Array<number>(classNames.length).fill(0);
  const samples: DatasetPreview['samples'] = [];
  for (let i = 0; i < train.count; i++) {
    const label = train.y[i];
    classCounts[label]++;
    if (shown[label] < perClass) {
      shown[label]++;
      samples.push({ index: i, label, values: Array.from(train.x.subarray(i * size, (i + 1) * size)) });
    }
  }
  samples.sort((a, b) => a.label - b.label || a.index - b.index);

  return { id: dataset.id, featureShape, classNames, classCounts, isImage, scale: dataset.scale, samples, stats: featureStats(dataset, isImage, options.featureNames) };
}

/**
 * min, max, mean of the stored values (before `scale`): per feature for tabular data, one
 * entry ('all') for images or very wide tables. Empty when there are no samples.
 */
function featureStats(dataset: Dataset, isImage: boolean, names?: string[]): DatasetPreview['stats'] {
  const { x, count } = dataset.train;
  if (count === 0) return [];
  const size = featureSize(dataset.featureShape);
  if (isImage || size > MAX_FEATURE_STATS) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    return [{ name: 'all', min, max, mean: sum / x.length }];
  }
  const min = new Float64Array(size).fill(Infinity);
  const max = new Float64Array(size).fill(-Infinity);
  const sum = new Float64Array(size);
  for (let i = 0; i < count; i++) {
    const row = i * size;
    for (let j = 0; j < size; j++) {
      const v = x[row + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
      sum[j] += v;
    }
  }
  return Array.from({ length: size }, (_, j) => ({
    name: names?.[j] ?? `feature ${j + 1}`, min: min[j], max: max[j], mean: sum[j] / count,
  }));
}
