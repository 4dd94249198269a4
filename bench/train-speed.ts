/**
 * Training speed of book-relu on Fashion-MNIST (48,000 training samples), ours against PyTorch on
 * the same CPU in the same run. Prints one JSON object; see bench/README.md.
 *
 *   npx tsx bench/train-speed.ts [--backend auto|wasm|cpu|tensorflow] [--epochs 2] [--rounds 1] [--no-stock]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend, type BackendChoice } from '../src-main/engine/backend.js';
import { train, type TrainPath } from '../src-main/engine/train.js';
import { findPreset } from '../src-main/shared/presets.js';
import type { Dataset } from '../src-main/shared/dataset.js';
import { loadCatalogIdx } from '../src-main/data/catalog/idx-datasets.js';

const PYTHON = '/usr/bin/python3';
const REFERENCE = '/work/shared/reference/pytorch_mlp.py';

interface BatchFigures {
  samplesPerSecond: number;
  secondsPerEpoch: number;
  pytorchSamplesPerSecond: number | null;
  /** Our best round / PyTorch's best round, the rounds measured back to back. */
  ratio: number | null;
  stockSamplesPerSecond: number | null;
  /** Every round, in order: ours then PyTorch right after. */
  rounds: Array<{ ours: number; pytorch: number | null }>;
}

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    epochs: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '1' },
    'no-stock': { type: 'boolean', default: false },
  },
});
const epochs = Number(values.epochs);
const rounds = Number(values.rounds);

/** Best epoch's training samples/s (validation excluded), as the PyTorch reference reports. */
async function ours(dataset: Dataset, batchSize: number, path: TrainPath): Promise<{ sps: number; count: number }> {
  const preset = findPreset('book-relu')!;
  const spec = { ...preset.spec, training: { ...preset.spec.training, epochs, batchSize } };
  const out = await train(spec, dataset, { evaluate: false, path });
  out.model.dispose();
  if (out.path !== path) throw new Error(`asked for the ${path} path but ${out.path} ran: ${out.fallbackReason}`);
  return { sps: Math.max(...out.epochs.map((e) => e.samplesPerSecond)), count: out.trainCount };
}

function torchAvailable(): boolean {
  if (!existsSync(PYTHON) || !existsSync(REFERENCE)) return false;
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function pytorch(batchSize: number): number {
  const r = spawnSync(PYTHON, [REFERENCE, String(batchSize), String(epochs)], { encoding: 'utf8' });
  const value = Number(r.stdout.trim().split('\n').pop());
  if (r.status !== 0 || !Number.isFinite(value)) throw new Error(`${REFERENCE} failed: ${r.stderr.trim().split('\n').pop()}`);
  return value;
}

async function main(): Promise<void> {
  const backend = await selectBackend(values.backend as BackendChoice);
  const dataset = loadCatalogIdx('fashion-mnist', mkdtempSync(join(tmpdir(), 'layerlab-bench-')));
  const torch = torchAvailable();
  const result: Record<string, unknown> = { backend: backend.name, device: backend.device, path: 'fast', epochs, rounds };
  for (const batchSize of [32, 128]) {
    // Ours and PyTorch alternate, so both see the same machine load. Each side's best round counts:
    // picking the round with the best ratio would favour rounds where PyTorch was starved.
    const runs: Array<{ ours: number; pytorch: number | null }> = [];
    let count = 0;
    for (let r = 0; r < rounds; r++) {
      const run = await ours(dataset, batchSize, 'fast');
      count = run.count;
      runs.push({ ours: Math.round(run.sps), pytorch: torch ? pytorch(batchSize) : null });
    }
    const bestOurs = Math.max(...runs.map((r) => r.ours));
    const bestTorch = torch ? Math.max(...runs.map((r) => r.pytorch ?? 0)) : null;
    const stock = values['no-stock'] ? null : (await ours(dataset, batchSize, 'stock')).sps;
    const figures: BatchFigures = {
      samplesPerSecond: bestOurs,
      secondsPerEpoch: round(count / bestOurs, 2),
      pytorchSamplesPerSecond: bestTorch,
      ratio: bestTorch ? round(bestOurs / bestTorch, 2) : null,
      stockSamplesPerSecond: stock === null ? null : Math.round(stock),
      rounds: runs,
    };
    result[`batch${batchSize}`] = figures;
  }
  if (!torch) result.pytorch = `not measured: ${PYTHON} cannot import torch (apt-get install -y python3-torch)`;
  result.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify(result));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

await main();
