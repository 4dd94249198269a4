/**
 * GPU training end to end: the built CLI trains book-relu in the GPU trainer page in headless
 * Chromium (Debian's /usr/bin/chromium here, on its SwiftShader adapter: the GPU path's
 * correctness, not its speed), against the wasm rung with the same seed. A small slice of
 * Fashion-MNIST: the software adapter is slow and compiles its shaders at the first epoch.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { jsonLines, layerlabAsync } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { smallFashion } from '../helpers/small-fashion.js';
import { findBrowser } from '../../src-main/workers/browser.js';
import { openStore } from '../../src-main/store/runs.js';

// vitest.config.ts turns the browser rungs off for other tests; these look for the browser again.
const found = findBrowser({ ...process.env, LAYERLAB_BROWSER: process.env.LAYERLAB_TEST_BROWSER ?? '' });
const reason = 'reason' in found ? found.reason : null;
if (reason) console.warn(`GPU training tests skipped: ${reason}`);

const ENV = { LAYERLAB_WEBGPU_ADAPTER: 'swiftshader', LAYERLAB_BROWSER: 'path' in found ? found.path : 'none' };
type Lines = ReturnType<typeof jsonLines>;
const epochs = (lines: Lines) => lines.filter((l) => l.type === 'epoch');
const result = (lines: Lines) => lines.find((l) => l.type === 'result')!;

describe.skipIf(reason !== null)('training on the GPU rungs in headless Chromium', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const runs: Record<string, Lines> = {};
  let ARGS: string[] = [];

  beforeAll(async () => {
    // 625 Fashion-MNIST samples (500 training, 125 validation) and 300 test samples: the software
    // adapter's cost is per sample, and the full sets would cross the page's socket on every run.
    ARGS = ['train', '--preset', 'book-relu', '--dataset', smallFashion(home, { train: 625, test: 300 }), '--epochs', '2', '--seed', '3', '--json'];
    // One after another: each browser takes the CPU's cores while it compiles its shaders.
    for (const backend of ['wasm', 'webgpu', 'webgl']) {
      const r = await layerlabAsync([...ARGS, '--backend', backend], home, ENV);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      runs[backend] = jsonLines(r.stdout);
    }
  }, 600_000);

  it.each(['webgpu', 'webgl'])('%s trains book-relu to within 0.03 of the wasm run with the same seed', (backend) => {
    const lines = runs[backend];
    const start = lines.find((l) => l.type === 'start')!;
    expect(start.backend).toBe(backend);
    // The software adapter says what it is: no one mistakes its figures for a GPU's.
    expect(start.device).toBe(backend === 'webgpu' ? 'WebGPU · SwiftShader (software)' : 'WebGL · SwiftShader (software)');
    expect(epochs(lines).map((e) => e.epoch)).toEqual([1, 2]);
    const wasm = result(runs.wasm);
    const gpu = result(lines);
    expect(gpu.status).toBe('completed');
    expect(gpu.backend).toBe(backend);
    expect(gpu.device).toBe(start.device);
    expect(Math.abs((gpu.valAccuracy as number) - (wasm.valAccuracy as number))).toBeLessThanOrEqual(0.03);
    expect(Math.abs((gpu.testAccuracy as number) - (wasm.testAccuracy as number))).toBeLessThanOrEqual(0.03);
    // It learned: ten classes, chance is 0.1.
    expect(gpu.valAccuracy as number).toBeGreaterThan(0.5);
    expect(epochs(lines)[1].loss as number).toBeLessThan(epochs(lines)[0].loss as number);
  });

  it('records the device with the run in the store', () => {
    const store = openStore(home);
    try {
      const byBackend = new Map(store.listRuns().map((r) => [r.backend, r]));
      expect(byBackend.get('webgpu')!.device).toBe('WebGPU · SwiftShader (software)');
      // The browser's own words about the adapter are kept in the notes.
      expect(byBackend.get('webgl')!.backendNotes!.adapter).toMatch(/^WebGL2: vendor .*; renderer ANGLE \(.*SwiftShader.*\) — a software adapter/);
      expect(byBackend.get('wasm')!.device).toMatch(/^CPU, WebAssembly/);
      expect(byBackend.get('webgpu')!.backendNotes).toEqual({ skipped: [], adapter: 'WebGPU: vendor google; architecture swiftshader — a software adapter (on the CPU, not a GPU)' });
    } finally {
      store.close();
    }
  });

  it.each(['webgpu', 'webgl'])('%s records the layer statistics (read asynchronously), close to the wasm run with the same seed', (backend) => {
    const store = openStore(home);
    try {
      const byBackend = new Map(store.listRuns().map((r) => [r.backend, r]));
      const gpu = store.getRun(byBackend.get(backend)!.id)!;
      const wasm = store.getRun(byBackend.get('wasm')!.id)!;
      for (const [i, e] of gpu.epochs.entries()) {
        const want = wasm.epochs[i].layers!;
        // Flatten has none; Dense(100, relu) and Dense(10, softmax) do, with gradients.
        expect(e.layers!.map((l) => [l.index, l.type, l.activation])).toEqual([[1, 'dense', 'relu'], [2, 'dense', 'softmax']]);
        e.layers!.forEach((l, k) => {
          expect(l.count).toBe(want[k].count);
          expect(l.mean).toBeCloseTo(want[k].mean, 2);
          expect(Math.abs(l.zeros - want[k].zeros)).toBeLessThan(0.02);
          expect(l.histogram.counts.reduce((a, b) => a + b, 0)).toBe(l.count);
          expect(Math.abs(l.gradNorm! / want[k].gradNorm! - 1)).toBeLessThan(0.05);
          expect(Math.abs(l.weightNorm! / want[k].weightNorm! - 1)).toBeLessThan(0.01);
        });
      }
    } finally {
      store.close();
    }
  });

  it('the same seed twice on webgpu gives the same numbers', async () => {
    const again = jsonLines((await layerlabAsync([...ARGS, '--backend', 'webgpu'], home, ENV)).stdout);
    const pick = (lines: Lines) => epochs(lines).map((l) => [l.loss, l.accuracy, l.valLoss, l.valAccuracy]);
    expect(pick(again)).toEqual(pick(runs.webgpu));
    expect(result(again).testAccuracy).toBe(result(runs.webgpu).testAccuracy);
  }, 300_000);
});

describe('without a browser', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('a forced GPU rung fails in one line naming what to do', async () => {
    const r = await layerlabAsync(['train', '--preset', 'book-relu', '--epochs', '1', '--limit', '100', '--backend', 'webgpu'], home, { LAYERLAB_BROWSER: '/nonexistent/chrome' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the webgpu backend cannot start: LAYERLAB_BROWSER=\/nonexistent\/chrome: no such file; point it at a Chrome, Chromium or Edge executable/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names why no browser was found', () => {
    expect(findBrowser({}, 'plan9')).toEqual({ reason: expect.stringMatching(/^no Chromium-family browser found .*set LAYERLAB_BROWSER/) });
    expect(findBrowser({ LAYERLAB_BROWSER: 'none' })).toEqual({ reason: 'LAYERLAB_BROWSER=none turns the browser rungs off' });
  });
});
