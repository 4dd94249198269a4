import { describe, expect, it } from 'vitest';
import { bars, pixels, preprocessingPhrase, scaleText } from '../../../src-renderer/src/lib/predict-panel.js';
import { translate } from '../../../src-renderer/src/i18n/translate.js';
import type { Preprocessing } from '../../../src-main/shared/predict.js';

const pre = (format: string, size: [number, number, number], scale = 1 / 255): Preprocessing => ({
  source: { width: 300, height: 200, format, channels: 3 }, size, scale, values: [0, 127.5 * scale, 255 * scale],
});

describe('the "Use the model" panel', () => {
  it('says what was done to a picture: its own size, grayscale or colour, the training scale', () => {
    const gray = preprocessingPhrase(pre('jpeg', [28, 28, 1]));
    expect(translate('en', gray.key, gray.params)).toBe('Resized from 300×200 (JPEG) to 28×28, made grayscale, pixel values × 1/255 as in training.');
    const colour = preprocessingPhrase(pre('png', [32, 24, 3], 1));
    expect(translate('en', colour.key, colour.params)).toBe('Resized from 300×200 (PNG) to 24×32, kept in colour (RGB), pixel values × 1 as in training.');
    const sample = preprocessingPhrase({ ...pre('test-sample', [28, 28, 1]), source: { width: 28, height: 28, format: 'test-sample', channels: 1 } });
    expect(translate('ko', sample.key, sample.params)).toBe('저장된 그대로의 테스트 샘플: 28×28, 흑백, 훈련 때처럼 픽셀 값에 1/255을 곱했습니다.');
  });

  it('writes the scale as a fraction when it is one, and draws the model\'s input back in 0..255', () => {
    expect([scaleText(1 / 255), scaleText(1), scaleText(0.3)]).toEqual(['1/255', '1', '0.3']);
    expect(pixels(pre('png', [1, 3, 1]))).toEqual([0, 127.5, 255]);
  });

  it('keeps one bar per class in the dataset\'s order, the predicted one marked', () => {
    const p = { source: 'a.png', ok: true as const, probabilities: [0.2, 0.7, 0.1], predicted: 1, className: 'b', preprocessing: pre('png', [1, 3, 1]) };
    expect(bars(p, ['a', 'b'])).toEqual([
      { index: 0, name: 'a', value: 0.2, predicted: false },
      { index: 1, name: 'b', value: 0.7, predicted: true },
      { index: 2, name: '2', value: 0.1, predicted: false },
    ]);
  });
});
