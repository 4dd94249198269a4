import { describe, it, expect } from 'vitest';
import { datasetPreview } from '../../../src-main/data/preview.js';
import type { Dataset } from '../../../src-main/shared/dataset.js';

const tabular: Dataset = {
  id: 't', name: 't', featureShape: [2], classNames: ['a', 'b', 'c'], scale: 1,
  train: { x: Float32Array.of(1, 10, 2, 20, 3, 30, 4, 40, 5, 50), y: Int32Array.of(0, 1, 0, 0, 1), count: 5 },
};
const images: Dataset = {
  id: 'i', name: 'i', featureShape: [2, 2], classNames: ['0', '1'], scale: 1 / 255,
  train: { x: Uint8Array.of(0, 255, 10, 20, 1, 2, 3, 4), y: Int32Array.of(1, 0), count: 2 },
};

describe('datasetPreview', () => {
  it('takes the first samples of each class, counts classes, and gives per-feature statistics', () => {
    const p = datasetPreview(tabular, { perClass: 2, featureNames: ['width', 'height'] });
    expect(p.classCounts).toEqual([3, 2, 0]);
    expect(p.samples).toEqual([
      { index: 0, label: 0, values: [1, 10] }, { index: 2, label: 0, values: [3, 30] },
      { index: 1, label: 1, values: [2, 20] }, { index: 4, label: 1, values: [5, 50] },
    ]);
    expect(p.isImage).toBe(false);
    expect(p.stats).toEqual([{ name: 'width', min: 1, max: 5, mean: 3 }, { name: 'height', min: 10, max: 50, mean: 30 }]);
  });

  it('gives one overall statistic for images, on the stored 0..255 values', () => {
    const p = datasetPreview(images, { perClass: 5 });
    expect(p).toMatchObject({ isImage: true, scale: 1 / 255, featureShape: [2, 2], classCounts: [1, 1] });
    expect(p.samples.map((s) => s.label)).toEqual([0, 1]);
    expect(p.stats).toEqual([{ name: 'all', min: 0, max: 255, mean: 295 / 8 }]);
    expect(datasetPreview(images, { perClass: 0 }).samples).toEqual([]);
  });
});
