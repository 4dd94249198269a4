/**
 * `auto` on a machine with no GPU device passes the GPU rungs over without starting a browser, and
 * says why; with a GPU device (or the software adapter asked for) it still starts the browser to
 * time them. Real service, ladder, trainer processes and BrowserGpuHost; the device folder is a
 * folder of the test's own, and the "browser" a script that notes each start and exits (its probe
 * then fails and the run trains on the CPU rung, as with a browser that cannot start).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Service } from '../../../src-main/service/service.js';
import { localApi } from '../../../src-main/service/local-api.js';
import { NodeWorkerHost } from '../../../src-main/workers/node-host.js';
import { LadderHost } from '../../../src-main/workers/ladder-host.js';
import { BrowserGpuHost, gpuDeviceNodes } from '../../../src-main/workers/browser-host.js';
import type { Events } from '../../../src-main/shared/contract.js';
import { OUT_NODE, requireBuild } from '../../helpers/build.js';
import { tempHome } from '../../helpers/home.js';

const { home: dir, cleanup } = tempHome();
afterAll(cleanup);

const model = {
  inputShape: [2],
  layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }],
  optimizer: { type: 'adam', learningRate: 0.01 },
  training: { epochs: 1, batchSize: 16, seed: 1 },
};

const marker = join(dir, 'browser-started');
const browser = join(dir, 'fake-browser');
writeFileSync(browser, `#!/bin/sh\necho started >> '${marker}'\nexit 1\n`);
chmodSync(browser, 0o755);

/** Trains one tiny run on `auto` with this device folder and environment; its start event and whether a browser was started. */
async function autoRun(name: string, devices: string, env: Record<string, string> = {}): Promise<{ started: Events['runs:started']; status: string; browserStarted: boolean }> {
  rmSync(marker, { force: true });
  const home = join(dir, name);
  const gpu = new BrowserGpuHost({ LAYERLAB_BROWSER: browser, ...env }, undefined, devices);
  const service = new Service({ home, host: new LadderHost(new NodeWorkerHost(OUT_NODE), gpu), gpu, concurrency: 1 });
  await service.start();
  try {
    const api = localApi(service);
    const d = await api.invoke('datasets:generate', { kind: 'spiral', samples: 200, noise: 0.05, seed: 3 });
    let started: Events['runs:started'] | undefined;
    service.on('runs:started', (e) => { started = e; });
    const { runIds: [id] } = await api.invoke('runs:start', { spec: model, datasetId: d.id, name });
    await service.idle();
    return { started: started!, status: (await api.invoke('runs:show', { id })).status, browserStarted: existsSync(marker) };
  } finally {
    await service.close();
  }
}

describe('auto and the GPU rungs on a machine without a GPU device', () => {
  it('finds render nodes, NVIDIA devices and WSL\'s dxg, and nothing else', () => {
    const devices = join(dir, 'dev-listing');
    mkdirSync(join(devices, 'dri'), { recursive: true });
    for (const f of ['dri/card0', 'nvidia-modeset', 'null', 'tty0']) writeFileSync(join(devices, f), '');
    expect(gpuDeviceNodes(devices)).toEqual([]);
    for (const f of ['dri/renderD128', 'nvidia0', 'nvidiactl', 'dxg']) writeFileSync(join(devices, f), '');
    expect(gpuDeviceNodes(devices).map((p) => p.slice(devices.length + 1)).sort()).toEqual(['dri/renderD128', 'dxg', 'nvidia0', 'nvidiactl']);
  });

  it('passes webgpu and webgl over without starting a browser, saying why', async () => {
    requireBuild();
    const devices = join(dir, 'dev-none');
    mkdirSync(join(devices, 'dri'), { recursive: true });
    writeFileSync(join(devices, 'dri', 'card0'), '');
    const r = await autoRun('none', devices);
    expect(r.status).toBe('completed');
    expect(r.browserStarted).toBe(false);
    expect(r.started.probe).toBeUndefined();
    const gpuSkips = r.started.skipped.filter((s) => s.name === 'webgpu' || s.name === 'webgl');
    expect(gpuSkips.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
    for (const s of gpuSkips) {
      expect(s.reason).toBe(`no GPU device (${devices}/dri/renderD*, ${devices}/nvidia*), not timed; LAYERLAB_WEBGPU_ADAPTER=swiftshader times the software adapter`);
      // Coded, so a page says it in its language (and as a note, not a warning).
      expect(s.coded).toEqual({ code: 'backend.noGpuDevice', params: { devices: `${devices}/dri/renderD*, ${devices}/nvidia*` } });
    }
  });

  it('still starts the browser to time them with a render node, or when the software adapter is asked for', async () => {
    const withGpu = join(dir, 'dev-gpu');
    mkdirSync(join(withGpu, 'dri'), { recursive: true });
    writeFileSync(join(withGpu, 'dri', 'renderD128'), '');
    const a = await autoRun('gpu', withGpu);
    expect(a.browserStarted).toBe(true);
    expect(a.status).toBe('completed');
    // The probe ran (the browser could not) and the CPU rung won it.
    expect(a.started.probe?.map((f) => f.backend)).toEqual([a.started.backend, 'webgpu', 'webgl']);
    expect(a.started.skipped.find((s) => s.name === 'webgpu')?.reason).not.toMatch(/no GPU device/);

    const b = await autoRun('swiftshader', join(dir, 'dev-none'), { LAYERLAB_WEBGPU_ADAPTER: 'swiftshader' });
    expect(b.browserStarted).toBe(true);
    expect(b.started.probe).toBeDefined();
  });
});
