/**
 * The GPU rungs as the ladder uses them, end to end in headless Chromium (SwiftShader here):
 * a browser killed mid-run leaves the run interrupted with its committed epochs; `auto` measures
 * this model on each rung, records why it chose, and the next run of the same model reuses the
 * cached figures; the book's CNN trains on webgpu.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { jsonLines, layerlabAsync, startLayerlab } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { smallFashion } from '../helpers/small-fashion.js';
import { findBrowser } from '../../src-main/workers/browser.js';
import { openStore } from '../../src-main/store/runs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPreset } from '../../src-main/shared/presets.js';
import { ModelSpec } from '../../src-main/shared/spec.js';
import { BrowserGpuHost } from '../../src-main/workers/browser-host.js';
import { probeCacheKey } from '../../src-main/workers/ladder-host.js';
import { PROBE_CACHE_FILE, writeProbeCache } from '../../src-main/workers/probe-cache.js';

const found = findBrowser({ ...process.env, LAYERLAB_BROWSER: process.env.LAYERLAB_TEST_BROWSER ?? '' });
const reason = 'reason' in found ? found.reason : null;
if (reason) console.warn(`GPU ladder tests skipped: ${reason}`);
const ENV = { LAYERLAB_WEBGPU_ADAPTER: 'swiftshader', LAYERLAB_BROWSER: 'path' in found ? found.path : 'none' };
type Lines = ReturnType<typeof jsonLines>;
const result = (lines: Lines) => lines.find((l) => l.type === 'result')!;

/** The main process of the browser whose profile is under `home` (not its GPU or renderer children). */
function browserPid(home: string): number | null {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  for (const line of ps.split('\n')) {
    if (line.includes(`--user-data-dir=${home}/tmp/browser-`) && !line.includes('--type=')) return Number(line.trim().split(/\s+/)[0]);
  }
  return null;
}

describe.skipIf(reason !== null)('the GPU rungs on the ladder', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('a browser killed mid-run leaves the run interrupted with its completed epochs', async () => {
    const child = startLayerlab(['train', '--preset', 'book-relu', '--dataset', smallFashion(home, { train: 250, test: 50 }), '--epochs', '200', '--backend', 'webgpu', '--json'], home, ENV);
    let printed = 0;
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        printed = out.split('\n').filter((l) => l.includes('"type":"epoch"')).length;
        if (printed >= 2) resolve();
      });
    });
    const pid = browserPid(home);
    expect(pid).not.toBeNull();
    process.kill(pid!, 'SIGKILL');
    const code = await exited;
    const runId = jsonLines(out).find((l) => l.type === 'result')?.runId as string;
    expect(code).toBe(0);
    const store = openStore(home);
    try {
      const run = store.getRun(runId)!;
      expect(run.status).toBe('interrupted');
      expect(run.error).toMatch(/^the browser running the webgpu trainer ended during the run \(SIGKILL\); completed epochs are kept$/);
      expect(run.epochs.length).toBeGreaterThanOrEqual(printed);
      expect(run.epochs.length).toBeLessThan(200);
      expect(run.epochs.map((e) => e.epoch)).toEqual(run.epochs.map((_, i) => i + 1));
    } finally {
      store.close();
    }
    // The browser's profile went with it.
    expect(browserPid(home)).toBeNull();
  }, 300_000);

  it('auto times book-relu on each rung (--reprobe over a cached entry), picks the CPU over the software adapter, records why, and the next run reuses the figures without a probe', async () => {
    // A cached entry for this model and machine that would send the run to webgpu: --reprobe must not use it.
    const { key, machine } = probeCacheKey(ModelSpec.parse(findPreset('book-relu')!.spec), 'fast', new BrowserGpuHost({ ...process.env, ...ENV }));
    const stale = new Date(Date.now() - 3600_000).toISOString();
    writeProbeCache(home, { key, measuredAt: stale, machine, figures: [{ backend: 'wasm', samplesPerSecond: 1 }, { backend: 'webgpu', samplesPerSecond: 1e9, device: 'planted' }, { backend: 'webgl', samplesPerSecond: 1 }] });
    const small = smallFashion(home, { train: 375, test: 100 });
    const before = new Date().toISOString();
    const r = await layerlabAsync(['train', '--preset', 'book-relu', '--dataset', small, '--epochs', '1', '--json', '--reprobe'], home, ENV);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const start = lines.find((l) => l.type === 'start')!;
    expect(start.backend).toMatch(/^(native|wasm)$/);
    const probe = start.probe as Array<{ backend: string; samplesPerSecond: number | null; device?: string }>;
    expect(probe.map((p) => p.backend)).toEqual([start.backend, 'webgpu', 'webgl']);
    const webgpu = probe.find((p) => p.backend === 'webgpu')!;
    expect(webgpu.samplesPerSecond).toBeGreaterThan(0);
    expect(webgpu.device).toMatch(/software/);
    expect(probe[0].samplesPerSecond!).toBeGreaterThan(webgpu.samplesPerSecond!);
    expect(start.why).toMatch(new RegExp(`^fastest for this model in a 8-step probe: ${start.backend as string} \\(${start.backend as string} \\d+ samples/s; webgpu \\d+ samples/s \\(software adapter\\)`));
    expect(start.cached).toBe(false);
    expect(start.measuredAt as string >= before).toBe(true);
    const store = openStore(home);
    try {
      const run = store.getRun(result(lines).runId as string)!;
      expect(run.backend).toBe(start.backend);
      expect(run.backendNotes!.probe).toEqual(probe);
      expect(run.backendNotes!.why).toBe(start.why);
      expect(run.backendNotes!.measuredAt).toBe(start.measuredAt);
      expect(run.backendNotes!.cached).toBeUndefined();
    } finally {
      store.close();
    }
    // The fresh figures replaced the planted entry (same key: the test computes it as the ladder does).
    const cache = JSON.parse(readFileSync(join(home, PROBE_CACHE_FILE), 'utf8')) as { entries: Array<{ key: string; measuredAt: string; figures: unknown }> };
    expect(cache.entries.map((e) => [e.key, e.measuredAt])).toEqual([[key, start.measuredAt]]);

    // The same model again (another seed, more epochs): the figures come from the cache, no probe runs.
    const again = await layerlabAsync(['train', '--preset', 'book-relu', '--dataset', small, '--epochs', '2', '--limit', '200', '--seed', '5'], home, ENV);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`[figures from the probe cache, measured ${(start.measuredAt as string).slice(0, 16).replace('T', ' ')} UTC; --reprobe measures again]`);
    const store2 = openStore(home);
    try {
      const second = store2.listRuns()[0];
      expect(second.seed).toBe(5);
      expect(second.backend).toBe(start.backend);
      // The very figures measured before (a probe would have timed new ones), said to be cached, with when.
      expect(second.backendNotes).toMatchObject({ probe, why: start.why, measuredAt: start.measuredAt, cached: true });
    } finally {
      store2.close();
    }
  }, 300_000);

  it('the book CNN trains on webgpu: the loss falls, and accuracy is within 0.03 of the CPU with the same seed', async () => {
    // 64 training, 16 validation and 100 test images: a CNN on the software adapter costs seconds per batch.
    const args = ['train', '--preset', 'book-cnn', '--dataset', smallFashion(home, { train: 80, test: 100 }), '--epochs', '2', '--seed', '2', '--json'];
    const cpu = jsonLines((await layerlabAsync([...args, '--backend', 'wasm'], home, ENV)).stdout);
    const gpu = jsonLines((await layerlabAsync([...args, '--backend', 'webgpu'], home, ENV)).stdout);
    const epochs = gpu.filter((l) => l.type === 'epoch');
    expect(result(gpu).status).toBe('completed');
    expect(result(gpu).backend).toBe('webgpu');
    expect(epochs[1].loss as number).toBeLessThan(epochs[0].loss as number);
    expect(Math.abs((result(gpu).valAccuracy as number) - (result(cpu).valAccuracy as number))).toBeLessThanOrEqual(0.03);
    expect(Math.abs((result(gpu).testAccuracy as number) - (result(cpu).testAccuracy as number))).toBeLessThanOrEqual(0.03);
  }, 600_000);
});
