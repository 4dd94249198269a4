/**
 * The `auto` probe cache: figures come back for the same model on the same machine, and not when
 * the model's shape, the batch, the browser, the adapter asked for or the app's build differ.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { chmodSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempHome } from '../../helpers/home.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { ModelSpec } from '../../../src-main/shared/spec.js';
import { BrowserGpuHost } from '../../../src-main/workers/browser-host.js';
import { dropProbeCache, machineIdentity, probeKey, PROBE_CACHE_FILE, PROBE_CACHE_MAX_AGE_DAYS, readProbeCache, writeProbeCache } from '../../../src-main/workers/probe-cache.js';

const { home, cleanup } = tempHome();
afterAll(cleanup);

const spec = (change: (s: ModelSpec) => void = () => undefined): ModelSpec => {
  const s = ModelSpec.parse(structuredClone(findPreset('book-relu')!.spec));
  change(s);
  return s;
};
const figures = [{ backend: 'wasm', samplesPerSecond: 5000, device: 'CPU' }, { backend: 'webgpu', samplesPerSecond: 200, device: 'WebGPU · SwiftShader' }];
const machine = machineIdentity('app 1', 'browser A');

describe('the probe cache', () => {
  it('gives back the figures for the same model, whatever its seed, epochs or dataset rows', () => {
    const key = probeKey(spec(), 'fast', machine);
    writeProbeCache(home, { key, measuredAt: new Date().toISOString(), figures, machine });
    expect(readProbeCache(home, probeKey(spec((s) => { s.training.seed = 9; s.training.epochs = 50; s.training.validationSplit = 0.1; }), 'fast', machine))?.figures).toEqual(figures);
    // Written whole, readable by the owner only, no temp file left.
    expect(readdirSync(home).filter((n) => n.startsWith(PROBE_CACHE_FILE))).toEqual([PROBE_CACHE_FILE]);
    expect(statSync(join(home, PROBE_CACHE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('has nothing for another shape, batch, optimizer, training path, machine or build', () => {
    expect(readProbeCache(home, probeKey(spec((s) => { (s.layers[1] as { units: number }).units = 200; }), 'fast', machine))).toBeNull();
    expect(readProbeCache(home, probeKey(spec((s) => { s.training.batchSize = 256; }), 'fast', machine))).toBeNull();
    expect(readProbeCache(home, probeKey(spec((s) => { s.optimizer = { ...s.optimizer, type: 'sgd' } as ModelSpec['optimizer']; }), 'fast', machine))).toBeNull();
    expect(readProbeCache(home, probeKey(spec(), 'stock', machine))).toBeNull();
    expect(readProbeCache(home, probeKey(spec(), 'fast', machineIdentity('app 2', 'browser A')))).toBeNull();
    expect(readProbeCache(home, probeKey(spec(), 'fast', machineIdentity('app 1', 'browser B')))).toBeNull();
  });

  it('measures again after the maximum age, and forgets a dropped entry', () => {
    const key = probeKey(spec(), 'fast', machine);
    const later = new Date(Date.now() + (PROBE_CACHE_MAX_AGE_DAYS + 1) * 86_400_000);
    expect(readProbeCache(home, key, later)).toBeNull();
    dropProbeCache(home, key);
    expect(readProbeCache(home, key)).toBeNull();
  });

  it('a damaged file counts as empty and the next write replaces it', () => {
    writeFileSync(join(home, PROBE_CACHE_FILE), '{"version": 1, "entries": [ {"key": ');
    const key = probeKey(spec(), 'fast', machine);
    expect(readProbeCache(home, key)).toBeNull();
    writeProbeCache(home, { key, measuredAt: '2026-12-03T10:00:00.000Z', figures, machine });
    expect(JSON.parse(readFileSync(join(home, PROBE_CACHE_FILE), 'utf8')).entries).toHaveLength(1);
    expect(readProbeCache(home, key, new Date('2026-12-04T00:00:00Z'))?.measuredAt).toBe('2026-12-03T10:00:00.000Z');
  });

  it("the GPU side of the key changes with the browser's executable and the adapter asked for", () => {
    const browser = join(home, 'chrome');
    writeFileSync(browser, '#!/bin/sh\n');
    chmodSync(browser, 0o755);
    const env = { LAYERLAB_BROWSER: browser };
    const first = new BrowserGpuHost(env).identity();
    expect(first).toContain(browser);
    expect(new BrowserGpuHost(env).identity()).toBe(first);
    expect(new BrowserGpuHost({ ...env, LAYERLAB_WEBGPU_ADAPTER: 'swiftshader' }).identity()).not.toBe(first);
    // An update replaces the executable: another size and time.
    writeFileSync(browser, '#!/bin/sh\n# version 2\n');
    utimesSync(browser, new Date(), new Date(Date.now() + 5000));
    expect(new BrowserGpuHost(env).identity()).not.toBe(first);
  });
});
