import { describe, expect, it } from 'vitest';
import { deviceText, probeText, runNameText, skippedText } from '../../../src-renderer/src/lib/run-text.js';
import { translate } from '../../../src-renderer/src/i18n/translate.js';
import { describeAdapter } from '../../../src-main/shared/gpu-page.js';

const tEn = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('en', k, p);
const tKo = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('ko', k, p);

describe('a run’s device line in the chosen language', () => {
  // The shapes the trainer writes (engine/backend.ts, describeAdapter); English gives them back as stored.
  const lines = [
    'CPU, native code (AVX-512), 1 thread; tfjs wasm for the rest',
    'CPU, native code (portable C), 1 thread; tfjs cpu for the rest',
    'CPU, WebAssembly with SIMD, 1 thread',
    'CPU, WebAssembly, 1 thread',
    'CPU, plain JavaScript',
    'TensorFlow C library (CUDA GPU when present, else CPU)',
    describeAdapter('webgpu', { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', software: true }),
  ];

  it('says each shape in Korean with no English words left, and gives English back unchanged', () => {
    for (const line of lines) {
      expect(deviceText(line, tEn), line).toBe(line);
      expect(deviceText(line, tKo), line).not.toMatch(/\b(native code|thread|for the rest|with SIMD|plain|library|when present|else|software)\b/);
    }
    expect(deviceText(lines[0], tKo)).toBe('CPU, 네이티브 코드 (AVX-512), 스레드 1개; 나머지는 tfjs wasm');
  });

  it('shows a line of any other shape as stored, and nothing for none', () => {
    expect(deviceText('WebGPU · NVIDIA GeForce RTX 4090', tKo)).toBe('WebGPU · NVIDIA GeForce RTX 4090');
    expect(deviceText(null, tKo)).toBe('');
  });

  it('says a repeat’s “(seed n)” in the chosen language; other names stay as they are', () => {
    expect(runNameText('렐루 (seed 2)', tKo)).toBe('렐루 (시드 2)');
    expect(runNameText('book-relu (seed 12)', tEn)).toBe('book-relu (seed 12)');
    expect(runNameText('my (seed) run', tKo)).toBe('my (seed) run');
  });

  it('says why auto chose its rung from the probe’s figures, in the chosen language', () => {
    const probe = [{ backend: 'native', samplesPerSecond: 5400.4 }, { backend: 'webgpu', samplesPerSecond: 210, device: 'WebGPU · SwiftShader (software)' }, { backend: 'webgl', samplesPerSecond: null }];
    expect(probeText(probe, 'native', tEn)).toBe('fastest for this model in a short probe: native (native 5,400 samples/s; webgpu 210 samples/s (software adapter); webgl: not measured)');
    expect(probeText(probe, 'native', tKo)).toBe('짧게 재 본 결과 이 모델에 가장 빠른 백엔드: native (native 초당 샘플 5,400개; webgpu 초당 샘플 210개 (소프트웨어 어댑터); webgl: 측정 안 됨)');
  });
});

describe('skipped backend rungs of a stored run', () => {
  it('are coded again from their English and said in Korean; not-installed, browser-off and no-GPU are notes', () => {
    // What backend_notes keeps: the English reasons only (the live event also carries the codes).
    const stored = [
      { name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed (its install needs to download libtensorflow)' },
      { name: 'webgpu', reason: 'LAYERLAB_BROWSER=none turns the browser rungs off' },
      { name: 'webgl', reason: 'no GPU device (no /dev/dri/renderD*), not timed; LAYERLAB_WEBGPU_ADAPTER=swiftshader times the software adapter' },
      { name: 'native', reason: 'the GPU trainer page is not built (out/gpu-page): run npm run build' },
      { name: 'other', reason: 'something said in no known shape' },
    ];
    const ko = skippedText(stored, tKo);
    expect(ko.map((s) => s.code)).toEqual(['backend.notInstalled', 'backend.browserOff', 'backend.noGpuDevice', 'backend.pageNotBuilt', undefined]);
    expect(ko.map((s) => s.note)).toEqual([true, true, true, false, false]);
    for (const s of ko.slice(0, 4)) expect(s.text, s.name).toMatch(/[가-힣]/);
    expect(ko[0].text).toContain('@tensorflow/tfjs-node');
    expect(ko[4].text).toContain('something said in no known shape');
    // English: the page's own words for a known shape, the stored reason for any other.
    const en = skippedText(stored, tEn).map((s) => s.text);
    expect(en[0]).toBe('tensorflow skipped: @tensorflow/tfjs-node is not installed (optional; it needs to download libtensorflow)');
    expect(en[4]).toBe('other skipped: something said in no known shape');
  });
});
