/**
 * GPU rung speed: book-relu trained with the built CLI on a GPU rung (webgpu or webgl, in the GPU
 * trainer page in a Chromium-family browser) and on the CPU rungs (native, wasm) in the same run,
 * at batch 32 and 256. Each figure is the best epoch's training samples per second (epoch 1
 * carries the shader compilation, so 2 epochs), and `ratio` is GPU ÷ the best CPU rung.
 *
 *   npx tsx bench/gpu-speed.ts --backend webgpu [--limit 4096]
 *
 * Where the browser only has Chromium's software adapter (LAYERLAB_WEBGPU_ADAPTER=swiftshader, a
 * machine without a GPU), the figures are the CPU emulating a GPU, not a GPU: the `device` field
 * says "software adapter" then.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const backend = option('backend', 'webgpu');
if (backend !== 'webgpu' && backend !== 'webgl') {
  process.stderr.write(`gpu-speed: --backend ${backend}: choose webgpu or webgl\n`);
  process.exit(2);
}
const limit = option('limit', '4096');
const CLI = join(import.meta.dirname, '..', 'bin', 'layerlab.js');
const home = mkdtempSync(join(tmpdir(), 'layerlab-bench-gpu-'));

interface Figure { samplesPerSecond: number | null; device: string | null; error?: string }

function train(rung: string, batch: number): Figure {
  process.stderr.write(`gpu-speed: ${rung} at batch ${batch}…\n`);
  const r = spawnSync(process.execPath, [CLI, 'train', '--preset', 'book-relu', '--epochs', '2', '--limit', limit, '--batch-size', String(batch), '--backend', rung, '--json', '--home', home], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const result = r.stdout.split('\n').filter((l) => l.startsWith('{"type":"result"')).map((l) => JSON.parse(l) as Record<string, unknown>)[0];
  if (!result || result.status !== 'completed') return { samplesPerSecond: null, device: null, error: (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`).slice(0, 300) };
  return { samplesPerSecond: Math.round(result.samplesPerSecond as number), device: result.device as string };
}

try {
  const out: Record<string, unknown> = { backend, preset: 'book-relu', limit: Number(limit), epochs: 2 };
  for (const batch of [32, 256]) {
    const gpu = train(backend, batch);
    const native = train('native', batch);
    const wasm = train('wasm', batch);
    const cpuBest = Math.max(native.samplesPerSecond ?? 0, wasm.samplesPerSecond ?? 0);
    out[`batch${batch}`] = {
      samplesPerSecond: gpu.samplesPerSecond, device: gpu.device, ...(gpu.error ? { error: gpu.error } : {}),
      nativeSamplesPerSecond: native.samplesPerSecond, wasmSamplesPerSecond: wasm.samplesPerSecond,
      ratio: gpu.samplesPerSecond && cpuBest ? Math.round((gpu.samplesPerSecond / cpuBest) * 1000) / 1000 : null,
    };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
