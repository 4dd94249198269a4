/**
 * The GPU rungs as the ladder uses them, end to end in headless Chromium (SwiftShader here):
 * `auto` measures this model on each rung and records why it chose; a browser killed mid-run
 * leaves the run interrupted with its committed epochs; the book's CNN trains on webgpu.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { jsonLines, layerlabAsync, startLayerlab } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { findBrowser } from '../../src-main/workers/browser.js';
import { openStore } from '../../src-main/store/runs.js';

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

  it('auto times book-relu on each rung, picks the CPU over the software adapter, and records why', async () => {
    const r = await layerlabAsync(['train', '--preset', 'book-relu', '--epochs', '1', '--limit', '300', '--json'], home, ENV);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const start = lines.find((l) => l.type === 'start')!;
    expect(start.backend).toMatch(/^(native|wasm)$/);
    const probe = start.probe as Array<{ backend: string; samplesPerSecond: number | null; device?: string }>;
    expect(probe.map((p) => p.backend)).toEqual([start.backend, 'webgpu', 'webgl']);
    const webgpu = probe.find((p) => p.backend === 'webgpu')!;
    expect(webgpu.samplesPerSecond).toBeGreaterThan(0);
    expect(webgpu.device).toMatch(/software adapter/);
    expect(probe[0].samplesPerSecond!).toBeGreaterThan(webgpu.samplesPerSecond!);
    expect(start.why).toMatch(new RegExp(`^fastest for this model in a 8-step probe: ${start.backend as string} \\(${start.backend as string} \\d+ samples/s; webgpu \\d+ samples/s \\(software adapter\\)`));
    const store = openStore(home);
    try {
      const run = store.getRun(result(lines).runId as string)!;
      expect(run.backend).toBe(start.backend);
      expect(run.backendNotes!.probe).toEqual(probe);
      expect(run.backendNotes!.why).toBe(start.why);
    } finally {
      store.close();
    }
  }, 300_000);

  it('a browser killed mid-run leaves the run interrupted with its completed epochs', async () => {
    const child = startLayerlab(['train', '--preset', 'book-relu', '--epochs', '200', '--limit', '200', '--backend', 'webgpu', '--json'], home, ENV);
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

  it('the book CNN trains on webgpu: the loss falls, and accuracy is within 0.03 of the CPU with the same seed', async () => {
    const args = ['train', '--preset', 'book-cnn', '--epochs', '2', '--limit', '64', '--seed', '2', '--json'];
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
