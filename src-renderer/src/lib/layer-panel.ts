/**
 * What the "Inside the layers" panel draws, from a run's epochs: per layer the series across
 * epochs (zeros %, saturated %, gradient norm), the chosen epoch's table and histogram, and the
 * readings under each chart. Plain functions, so unit tests and the e2e test read the same numbers.
 */
import type { EpochRecord } from '../../../src-main/shared/runs.js';
import type { ModelSpec } from '../../../src-main/shared/spec.js';
import type { LayerStat } from '../../../src-main/shared/layer-stats.js';
import { describeLayer } from '../../../src-main/shared/layers/index.js';
import { activationReading, gradientReading, saturationReading, type Reading } from '../../../src-main/shared/layer-readings.js';
import { PALETTE, type LineSeries } from './charts/series.js';

export type LayerMetric = 'zeros' | 'saturated' | 'gradNorm';

/** The epochs that carry statistics, in order. */
export function recordedEpochs(epochs: readonly EpochRecord[]): EpochRecord[] {
  return epochs.filter((e) => (e.layers?.length ?? 0) > 0);
}

/** "2 · Dense(100, relu)": the layer's 1-based position and what it is. */
export function layerLabel(stat: Pick<LayerStat, 'index' | 'type' | 'activation'>, spec: ModelSpec | null): string {
  const layer = spec?.layers[stat.index];
  return `${stat.index + 1} · ${layer ? describeLayer(layer) : `${stat.type}${stat.activation ? `(${stat.activation})` : ''}`}`;
}

/** A metric as plotted: percentages for the fractions, the norm as it is; null where the layer has none. */
export function plotted(stat: LayerStat, metric: LayerMetric): number | null {
  if (metric === 'gradNorm') return stat.gradNorm;
  const v = stat[metric];
  return v === null ? null : v * 100;
}

/** One series per layer (that has the metric) across the recorded epochs. */
export function layerSeries(epochs: readonly EpochRecord[], spec: ModelSpec | null, metric: LayerMetric): LineSeries[] {
  const recorded = recordedEpochs(epochs);
  const last = recorded[recorded.length - 1];
  if (!last) return [];
  return last.layers!.flatMap((s, i) => {
    const points = recorded.flatMap((e) => {
      const l = e.layers!.find((x) => x.index === s.index);
      const y = l ? plotted(l, metric) : null;
      return y === null || !Number.isFinite(y) ? [] : [{ x: e.epoch, y }];
    });
    return points.length ? [{ label: layerLabel(s, spec), color: PALETTE[i % PALETTE.length], points }] : [];
  });
}

/** The readings under the three charts, from the chosen epoch's numbers. */
export function chartReadings(stats: readonly LayerStat[]): Record<LayerMetric, Reading | null> {
  // The output layer is the answer, not a hidden representation: sparsity is read on the hidden ones.
  const hidden = stats.slice(0, -1);
  const sparsest = [...hidden].sort((a, b) => b.zeros - a.zeros)[0];
  return {
    zeros: sparsest ? activationReading(sparsest) : null,
    saturated: saturationReading(stats),
    gradNorm: gradientReading(stats),
  };
}

/** The histogram as bars: each bin's share of the values (%), labelled by its left edge. */
export function histogramBars(stat: LayerStat, digits = 2): { labels: string[]; values: number[] } {
  const { edges, counts } = stat.histogram;
  const total = counts.reduce((a, b) => a + b, 0) || 1;
  return { labels: counts.map((_, k) => edges[k].toFixed(digits)), values: counts.map((c) => (c / total) * 100) };
}
