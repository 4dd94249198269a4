/** Activation statistics and their readings, on values worked out by hand. */
import { describe, it, expect } from 'vitest';
import { describeActivations, type LayerStat } from '../../../src-main/shared/layer-stats.js';
import { activationReading, gradientReading, readingText, saturationReading } from '../../../src-main/shared/layer-readings.js';

describe('describeActivations', () => {
  it('gives mean, population sd, zeros and a min..max histogram for ReLU, with no saturation', () => {
    const d = describeActivations([0, 0, 1, 3], 'relu', 3);
    expect(d.count).toBe(4);
    expect(d.mean).toBe(1);
    expect(d.sd).toBeCloseTo(Math.sqrt((1 + 1 + 0 + 4) / 4), 12);
    expect(d.zeros).toBe(0.5);
    expect(d.saturated).toBeNull();
    expect(d.histogram).toEqual({ edges: [0, 1, 2, 3], counts: [2, 1, 1] });
  });

  it('counts sigmoid values outside 0.01..0.99 as saturated, over a fixed 0..1 histogram', () => {
    const d = describeActivations([0.005, 0.5, 0.995, 0.99, 0.01], 'sigmoid', 2);
    expect(d.saturated).toBeCloseTo(2 / 5, 12);
    expect(d.zeros).toBe(0);
    expect(d.histogram).toEqual({ edges: [0, 0.5, 1], counts: [2, 3] });
  });

  it('counts tanh beyond ±0.99 as saturated, over -1..1', () => {
    const d = describeActivations([-0.995, 0, 0.999, 0.5], 'tanh', 4);
    expect(d.saturated).toBe(0.5);
    expect(d.histogram.edges).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(d.histogram.counts).toEqual([1, 0, 1, 2]);
  });
});

const stat = (over: Partial<LayerStat>): LayerStat => ({
  index: 0, type: 'dense', activation: 'relu', count: 10, mean: 0, sd: 0, zeros: 0, saturated: null,
  histogram: { edges: [0, 1], counts: [10] }, gradNorm: 1, weightNorm: 1, gradRatio: 1, ...over,
});

describe('readings', () => {
  it('says a ReLU layer is sparse, a saturated sigmoid saturated, and a busy one dense', () => {
    expect(readingText(activationReading(stat({ zeros: 0.583 })))).toBe('ReLU layer: 58% of activations are exactly 0 (sparse)');
    expect(readingText(activationReading(stat({ activation: 'sigmoid', saturated: 0.18 })))).toBe('Sigmoid layer: 18% of activations are saturated (stuck near their limits), 0% exactly 0');
    expect(readingText(activationReading(stat({ activation: 'sigmoid', saturated: 0.004 })))).toBe('Sigmoid layer: 0% of activations are exactly 0 (dense)');
  });

  it('compares the first weighted layer\'s gradient with the last\'s', () => {
    const layers = (first: number, last: number) => [stat({ gradNorm: first }), stat({ index: 1, type: 'maxPooling2d', gradNorm: null }), stat({ index: 2, gradNorm: last })];
    expect(readingText(gradientReading(layers(0.05, 0.3))!)).toBe('first-layer gradients are 6.0× smaller than the last layer\'s');
    expect(readingText(gradientReading(layers(0.01, 0.3))!)).toBe('first-layer gradients are 30× smaller than the last layer\'s');
    expect(gradientReading(layers(0.3, 0.25))!.key).toBe('gradSimilar');
    expect(gradientReading(layers(0.9, 0.3))!.key).toBe('gradLarger');
    expect(gradientReading([stat({})])).toBeNull();
  });

  it('reads saturation on the hidden layers only: the most saturated, a trace, or none that can', () => {
    const out = stat({ index: 9, activation: 'softmax', saturated: 0.9 });
    expect(readingText(saturationReading([stat({ activation: 'sigmoid', saturated: 0.02 }), stat({ activation: 'sigmoid', saturated: 0.3 }), out])!)).toBe('Sigmoid layer: 30% of activations are saturated (stuck near their limits), 0% exactly 0');
    expect(readingText(saturationReading([stat({ activation: 'tanh', saturated: 0.039 }), out])!)).toBe('Tanh layer: only 3.9% of activations are saturated');
    expect(readingText(saturationReading([stat({}), out])!)).toBe('ReLU layers have no upper limit: nothing saturates');
    expect(saturationReading([out])).toBeNull();
  });
});
