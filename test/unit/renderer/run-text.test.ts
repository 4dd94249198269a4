import { describe, expect, it } from 'vitest';
import { deviceText, probeText, runNameText } from '../../../src-renderer/src/lib/run-text.js';
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
