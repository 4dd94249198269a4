import { describe, expect, it } from 'vitest';
import { batchPoints, describedSeries, epochPoints, epochStats, meanSd, thin } from '../../../src-renderer/src/lib/charts/series.js';
import { toDatasets } from '../../../src-renderer/src/lib/charts/line-chart.js';
import type { EpochRecord } from '../../../src-main/shared/runs.js';

const ep = (epoch: number, valAccuracy: number): EpochRecord => ({ epoch, loss: 1 / epoch, accuracy: 0.5 + epoch / 10, valLoss: 1.1 / epoch, valAccuracy, seconds: 1, samplesPerSecond: 100 });

describe('chart data shaping', () => {
  it('puts epochs on x (sorted) and skips non-finite values', () => {
    expect(epochPoints([ep(2, 0.8), ep(1, 0.7), ep(3, Number.NaN)], 'valAccuracy')).toEqual([{ x: 1, y: 0.7 }, { x: 2, y: 0.8 }]);
  });

  it('places batch values at fractional epochs', () => {
    expect(batchPoints([{ epoch: 2, batch: 50, batches: 100, loss: 0.4, accuracy: 0.9 }], 'loss')).toEqual([{ x: 1.5, y: 0.4 }]);
  });

  it('computes the sample sd over the runs that reached each epoch', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1, n: 3 });
    const stats = epochStats([[ep(1, 0.7), ep(2, 0.8)], [ep(1, 0.9)]], 'valAccuracy');
    expect(stats.map((s) => s.n)).toEqual([2, 1]);
    expect(stats[0].mean).toBeCloseTo(0.8);
  });

  it('builds a band only where the statistics module gives an sd', () => {
    const s = describedSeries('relu', '#0072B2', { epochs: [1, 2], stats: [{ mean: 0.8, sd: 0.01 }, { mean: 0.85, sd: null }] });
    expect(s.points).toEqual([{ x: 1, y: 0.8 }, { x: 2, y: 0.85 }]);
    expect(s.band?.lo[0].y).toBeCloseTo(0.79);
    expect(s.band?.hi).toHaveLength(1);
    expect(describedSeries('one', '#000000', { epochs: [1], stats: [{ mean: 0.5, sd: null }] }).band).toBeUndefined();
  });

  it('turns a banded series into hi, lo (filled to hi) and the line, in that order', () => {
    const ds = toDatasets([describedSeries('g', '#0072B2', { epochs: [1], stats: [{ mean: 0.5, sd: 0.1 }] })]);
    expect(ds.map((d) => d.label)).toEqual(['g +sd', 'g −sd', 'g']);
    expect(ds[1].fill).toBe('-1');
  });

  it('thins long series evenly and keeps the last point', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i }));
    const out = thin(pts, 100);
    expect(out).toHaveLength(100);
    expect(out[99]).toEqual({ x: 999, y: 999 });
  });
});
