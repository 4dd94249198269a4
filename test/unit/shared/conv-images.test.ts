import { describe, expect, it } from 'vitest';
import { filterPlane, mapPlane, planeRgba, silentMaps, tileGrid } from '../../../src-main/shared/conv-images.js';
import type { ConvFilters, FeatureMaps } from '../../../src-main/shared/predict.js';

describe('a convolution as pictures', () => {
  it('reads one filter out of Keras\' [kh, kw, in, out] layout, averaging its input channels', () => {
    // 1×2 kernel, 2 input channels, 3 filters: value = 100·pixel + 10·channel + filter.
    const values: number[] = [];
    for (let p = 0; p < 2; p++) for (let c = 0; c < 2; c++) for (let f = 0; f < 3; f++) values.push(100 * p + 10 * c + f);
    const f: ConvFilters = { layer: 0, description: '', kernel: [1, 2, 2, 3], values, bias: [0, 0, 0] };
    expect(filterPlane(f, 2)).toEqual([7, 107]);
  });

  it('reads one map out of [h, w, filters] and counts the maps that are 0 everywhere', () => {
    const m: FeatureMaps = { layer: 0, size: [1, 2, 3], values: [1, 0, 0, 2, 0, 0.5] };
    expect(mapPlane(m, 0)).toEqual([1, 2]);
    expect(mapPlane(m, 2)).toEqual([0, 0.5]);
    expect(silentMaps(m)).toBe(1);
  });

  it('colours weights blue below 0 and red above, activations dark where strong', () => {
    expect(Array.from(planeRgba([-1, 0, 1], 'diverging', 1))).toEqual([31, 95, 191, 255, 255, 255, 255, 255, 192, 57, 43, 255]);
    expect(Array.from(planeRgba([0, 2, 4], 'ink', 4))).toEqual([255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255]);
  });

  it('lays tiles out in rows, each pixel zoomed, white between them', () => {
    const black = new Uint8ClampedArray([0, 0, 0, 255]);
    const g = tileGrid([black, black, black], 1, 1, 2, 2, 1);
    expect([g.width, g.height]).toEqual([5, 5]);
    const at = (x: number, y: number) => g.rgba[(y * g.width + x) * 4];
    expect([at(0, 0), at(1, 1), at(2, 0), at(3, 0), at(4, 1), at(0, 3), at(3, 3)]).toEqual([0, 0, 255, 0, 0, 0, 255]);
  });
});
