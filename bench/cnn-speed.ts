/**
 * Training speed of the book's chapter 8 CNN (book-cnn) on Fashion-MNIST, ours against the same
 * CNN in PyTorch on the same CPU in the same run. Prints one JSON object; see bench/README.md.
 *
 *   npx tsx bench/cnn-speed.ts [--backend wasm|cpu|tensorflow|auto] [--samples 9600] [--epochs 2] [--rounds 2]
 *
 * Both sides train `samples` images at batch 32 for `epochs` epochs; each reports its best epoch's
 * training samples/s (validation excluded). PyTorch runs bench/pytorch_cnn.py, which tries 1 and 2
 * threads; its best setting counts. Rounds alternate ours and PyTorch, so both see the same load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend, type BackendChoice } from '../src-main/engine/backend.js';
import { train } from '../src-main/engine/train.js';
import { findPreset } from '../src-main/shared/presets.js';
import type { Dataset } from '../src-main/shared/dataset.js';
import { loadCatalogIdx } from '../src-main/data/catalog/idx-datasets.js';
import { loadAverage, PYTHON, pythonHas } from './reference.js';

const SCRIPT = join(import.meta.dirname, 'pytorch_cnn.py');
const BATCH = 32;

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    samples: { type: 'string', default: '9600' },
    epochs: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
  },
});
const samples = Number(values.samples);
const epochs = Number(values.epochs);
const rounds = Number(values.rounds);

interface TorchResult { threads: Record<string, number>; samplesPerSecond: number }

async function ours(dataset: Dataset): Promise<{ sps: number; path: string; count: number }> {
  const preset = findPreset('book-cnn')!;
  // No early stopping: the bench times whole epochs.
  const spec = { ...preset.spec, training: { ...preset.spec.training, epochs, batchSize: BATCH, earlyStopping: undefined, checkpoint: undefined } };
  const out = await train(spec, dataset, { evaluate: false, limit: samples });
  out.model.dispose();
  return { sps: Math.max(...out.epochs.map((e) => e.samplesPerSecond)), path: out.path, count: out.trainCount };
}

function pytorch(): TorchResult {
  const r = spawnSync(PYTHON, [SCRIPT, String(BATCH), String(epochs), String(samples)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${SCRIPT} failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchResult;
}

async function main(): Promise<void> {
  // With the spec, the ladder passes over rungs that cannot train a CNN (native: Dense stacks only).
  const backend = await selectBackend(values.backend as BackendChoice, { spec: findPreset('book-cnn')!.spec });
  const loadBefore = loadAverage();
  const dataset = loadCatalogIdx('fashion-mnist', mkdtempSync(join(tmpdir(), 'layerlab-bench-')));
  const torch = pythonHas('torch');
  const runs: Array<{ ours: number; pytorch: TorchResult['threads'] | null }> = [];
  let path = '';
  let count = 0;
  for (let r = 0; r < rounds; r++) {
    const run = await ours(dataset);
    ({ path, count } = run);
    runs.push({ ours: Math.round(run.sps), pytorch: torch ? pytorch().threads : null });
  }
  const best = Math.max(...runs.map((r) => r.ours));
  const threads: Record<string, number> = {};
  for (const r of runs) for (const [t, v] of Object.entries(r.pytorch ?? {})) threads[t] = Math.max(threads[t] ?? 0, v);
  const bestTorch = torch ? Math.max(...Object.values(threads)) : null;
  console.log(JSON.stringify({
    backend: backend.name, device: backend.device, skipped: backend.skipped, path, batch: BATCH, samples: count, epochs, rounds,
    loadBefore, loadAfter: loadAverage(),
    samplesPerSecond: best,
    /** PyTorch's best round in its best thread setting, and each setting's best round. */
    pytorchSamplesPerSecond: bestTorch,
    pytorchThreads: torch ? threads : null,
    ratio: bestTorch ? Math.round((best / bestTorch) * 100) / 100 : null,
    perRound: runs,
    ...(torch ? {} : { pytorch: `not measured: ${PYTHON} cannot import torch (apt-get install -y python3-torch)` }),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
}

await main();
