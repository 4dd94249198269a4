/**
 * Training speed of book-relu on Fashion-MNIST (48,000 training samples), ours against PyTorch in
 * its best thread setting on the same CPU in the same run. Prints one JSON object; see bench/README.md.
 *
 *   npx tsx bench/train-speed.ts [--backend auto|native|wasm|cpu|tensorflow] [--epochs 2] [--rounds 3] [--stock] [--candidates] [--no-pytorch]
 *
 * --candidates also times every engine this machine can run, in this process, alternating them
 * round by round: the native step on each kernel table the CPU runs, the fast step on tfjs wasm,
 * and tfjs' own model.fit (stock) on wasm: what each bought.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend, type BackendChoice } from '../src-main/engine/backend.js';
import { train, type TrainPath } from '../src-main/engine/train.js';
import { findPreset } from '../src-main/shared/presets.js';
import type { Dataset } from '../src-main/shared/dataset.js';
import { loadCatalogIdx } from '../src-main/data/catalog/idx-datasets.js';
import * as tf from '@tensorflow/tfjs';
import { loadNative, nativeUnavailableReason } from '../src-main/engine/native/loader.js';
import { loadAverage, pytorchMlp, referenceMissing, referenceScript, type TorchThreads } from './reference.js';

interface BatchFigures {
  samplesPerSecond: number;
  secondsPerEpoch: number;
  /** PyTorch's best round in its best thread setting. */
  pytorchSamplesPerSecond: number | null;
  /** PyTorch's best round per thread setting ("1", "2"). */
  pytorchThreads: Record<string, number> | null;
  /** Our best round / PyTorch's best round (its best thread setting), the rounds measured back to back. */
  ratio: number | null;
  stockSamplesPerSecond: number | null;
  /** Every round, in order: ours, then PyTorch right after (each thread setting). */
  rounds: Array<{ ours: number; pytorch: TorchThreads['threads'] | null }>;
}

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    epochs: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    stock: { type: 'boolean', default: false },
    candidates: { type: 'boolean', default: false },
    'no-pytorch': { type: 'boolean', default: false },
  },
});
const epochs = Number(values.epochs);
const rounds = Number(values.rounds);

/** Best epoch's training samples/s (validation excluded), as the PyTorch reference reports. */
async function ours(dataset: Dataset, batchSize: number, path: TrainPath, kernels?: string): Promise<{ sps: number; count: number }> {
  const preset = findPreset('book-relu')!;
  const spec = { ...preset.spec, training: { ...preset.spec.training, epochs, batchSize } };
  const out = await train(spec, dataset, { evaluate: false, path, native: kernels ? { kernels } : undefined });
  out.model.dispose();
  if (out.path !== path) throw new Error(`asked for the ${path} path but ${out.path} ran: ${out.fallbackReason}`);
  return { sps: Math.max(...out.epochs.map((e) => e.samplesPerSecond)), count: out.trainCount };
}

async function main(): Promise<void> {
  const spec = findPreset('book-relu')!.spec;
  const backend = await selectBackend(values.backend as BackendChoice, { spec });
  // The trainer's rule (workers/trainer-entry.ts): the native rung runs the addon's step.
  const path: TrainPath = backend.name === 'native' ? 'native' : 'fast';
  const dataset = loadCatalogIdx('fashion-mnist', mkdtempSync(join(tmpdir(), 'layerlab-bench-')));
  const missing = values['no-pytorch'] ? 'not measured: --no-pytorch' : referenceMissing(referenceScript('pytorch_mlp.py'), 'torch');
  const result: Record<string, unknown> = { backend: backend.name, device: backend.device, path, epochs, rounds, loadBefore: loadAverage() };
  for (const batchSize of [32, 128]) {
    // Ours and PyTorch alternate, so both see the same machine load. Each side's best round counts:
    // picking the round with the best ratio would favour rounds where PyTorch was starved.
    const runs: BatchFigures['rounds'] = [];
    let count = 0;
    for (let r = 0; r < rounds; r++) {
      const run = await ours(dataset, batchSize, path);
      count = run.count;
      runs.push({ ours: Math.round(run.sps), pytorch: missing ? null : pytorchMlp(batchSize, epochs).threads });
      process.stderr.write(`train-speed batch ${batchSize} round ${r + 1}/${rounds}: ${JSON.stringify({ ...runs[r], load: loadAverage() })}\n`);
    }
    const bestOurs = Math.max(...runs.map((r) => r.ours));
    const threads: Record<string, number> = {};
    for (const r of runs) for (const [t, v] of Object.entries(r.pytorch ?? {})) threads[t] = Math.max(threads[t] ?? 0, v);
    const bestTorch = missing ? null : Math.max(...Object.values(threads));
    const stock = values.stock ? (await ours(dataset, batchSize, 'stock')).sps : null;
    const figures: BatchFigures = {
      samplesPerSecond: bestOurs,
      secondsPerEpoch: round(count / bestOurs, 2),
      pytorchSamplesPerSecond: bestTorch,
      pytorchThreads: missing ? null : threads,
      ratio: bestTorch ? round(bestOurs / bestTorch, 2) : null,
      stockSamplesPerSecond: stock === null ? null : Math.round(stock),
      rounds: runs,
    };
    result[`batch${batchSize}`] = figures;
  }
  if (values.candidates) result.candidates = await candidates(dataset);
  if (missing) result.pytorch = missing;
  result.loadAfter = loadAverage();
  result.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(result));
}

/** Best-epoch samples/s of each engine this machine runs, best of `rounds`, the engines alternating. */
async function candidates(dataset: Dataset): Promise<Record<string, { batch32: number; batch128: number }>> {
  const engines: Array<{ name: string; path: TrainPath; kernels?: string }> = [];
  const supported = nativeUnavailableReason() === null ? loadNative().info().supported.split(' ').filter(Boolean) : [];
  for (const k of supported) engines.push({ name: `native ${k}`, path: 'native', kernels: k });
  if (tf.getBackend() === 'wasm') engines.push({ name: 'fast (tfjs wasm)', path: 'fast' }, { name: 'stock model.fit (tfjs wasm)', path: 'stock' });
  const best: Record<string, { batch32: number; batch128: number }> = {};
  for (let r = 0; r < rounds; r++) {
    for (const e of engines) {
      const row = (best[e.name] ??= { batch32: 0, batch128: 0 });
      for (const batchSize of [32, 128] as const) {
        const { sps } = await ours(dataset, batchSize, e.path, e.kernels);
        row[`batch${batchSize}`] = Math.max(row[`batch${batchSize}`], Math.round(sps));
      }
    }
  }
  return best;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

await main();
