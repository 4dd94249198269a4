/**
 * What the layer statistics cost: for each preset, the seconds computeLayerStats takes after an
 * epoch (probe batch of 256 validation samples) as a fraction of the epoch's own seconds, measured
 * in the same training run on the full Fashion-MNIST training split. Prints one JSON object; see
 * bench/README.md. Target: fraction < 0.05 from the second epoch on.
 *
 *   npx tsx bench/layer-stats.ts [--epochs 3] [--presets book-relu,book-deep-sigmoid] [--paths native,fast]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src-main/engine/backend.js';
import { train, type TrainPath } from '../src-main/engine/train.js';
import { findPreset } from '../src-main/shared/presets.js';
import { loadCatalogIdx } from '../src-main/data/catalog/idx-datasets.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '3' },
    presets: { type: 'string', default: 'book-relu,book-sigmoid,book-deep-relu,book-deep-sigmoid' },
    paths: { type: 'string', default: 'native,fast' },
  },
});
const epochs = Math.max(2, Number(values.epochs));
const backend = await selectBackend('auto');
const dataset = loadCatalogIdx('fashion-mnist', mkdtempSync(join(tmpdir(), 'layerlab-bench-')));

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const results: Record<string, unknown>[] = [];
for (const name of values.presets.split(',')) {
  const preset = findPreset(name);
  if (!preset) throw new Error(`no preset ${name}`);
  for (const wanted of values.paths.split(',') as TrainPath[]) {
    const out = await train({ ...preset.spec, training: { ...preset.spec.training, epochs } }, dataset, { evaluate: false, path: wanted });
    out.model.dispose();
    const epochSeconds = median(out.epochs.slice(1).map((e) => e.seconds));
    const statsSeconds = median(out.layerSeconds.slice(1));
    const r = {
      preset: name, path: out.path, probe: preset.spec.training.probeSize ?? 256, layers: out.epochs[0].layers?.length ?? 0,
      epochSeconds: round(epochSeconds), statsSeconds: round(statsSeconds),
      /** Median over epochs 2.. of stats seconds / epoch seconds: the cost. */
      fraction: round(statsSeconds / epochSeconds),
      /** Epoch 1 pays the first use of the kernels. */
      firstEpochFraction: round(out.layerSeconds[0] / out.epochs[0].seconds),
      perEpoch: out.epochs.map((e, i) => ({ seconds: round(e.seconds), statsSeconds: round(out.layerSeconds[i]) })),
    };
    process.stderr.write(`${name} ${out.path}: stats ${r.statsSeconds} s of a ${r.epochSeconds} s epoch (${(r.fraction * 100).toFixed(1)}%)\n`);
    results.push(r);
  }
}
function round(v: number): number { return Math.round(v * 10000) / 10000; }
const worst = Math.max(...results.map((r) => r.fraction as number));
process.stdout.write(`${JSON.stringify({ backend: backend.name, device: backend.device, epochs, target: 0.05, worstFraction: worst, withinTarget: worst < 0.05, results })}\n`);
