/** The Node trainer's backend ladder: tensorflow → native → wasm → cpu, every skip with its reason. */
import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { loadNative } from '../../../src-main/engine/native/loader.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { ModelSpec } from '../../../src-main/shared/spec.js';

const book = findPreset('book-relu')!.spec;
// Dense straight on a 28×28 input: tfjs applies it to the last axis; neither hand-written step does.
const unsupported = ModelSpec.parse({ ...book, layers: [{ type: 'dense', units: 4 }, { type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] });

describe('backend ladder with the native rung', () => {
  it('auto takes native where the addon loads, on the best kernels, with tfjs wasm underneath', async () => {
    const b = await selectBackend('auto', { spec: book });
    expect(b.name).toBe('native');
    expect(b.skipped.map((s) => s.name)).toEqual(['tensorflow']);
    const kernels = loadNative().info().kernels;
    expect(b.device).toContain({ avx512: 'AVX-512', avx2: 'AVX2 + FMA', sse2: 'SSE2', scalar: 'portable C' }[kernels]);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('passes native over, saying why, for a model its step cannot train (auto or forced)', async () => {
    for (const choice of ['auto', 'native'] as const) {
      const b = await selectBackend(choice, { spec: unsupported });
      expect(b.name).toBe('wasm');
      expect(b.skipped.find((s) => s.name === 'native')?.reason).toMatch(/layer 0 is Dense on a rank-2 input/);
    }
  });

  it('passes native over when the stock path is asked for', async () => {
    const b = await selectBackend('auto', { spec: book, path: 'stock' });
    expect(b.name).toBe('wasm');
    expect(b.skipped.find((s) => s.name === 'native')?.reason).toMatch(/stock path/);
  });

  it('refuses a GPU rung in a Node trainer', async () => {
    await expect(selectBackend('webgpu')).rejects.toThrow(/does not run in a Node trainer process/);
  });
});
