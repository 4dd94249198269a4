/**
 * The book's comparison end to end: book-sigmoid and book-relu, 3 seeds each, 5 epochs, full data,
 * through the service's queue (parallel trainer processes, one per core), against PyTorch running
 * the same six runs one after another (/work/shared/reference/pytorch_book_table.py), in the same run.
 * Prints one JSON object.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Service } from '../src-main/service/service.js';
import { directApi } from '../src-main/service/local-api.js';
import { NodeWorkerHost } from '../src-main/workers/node-host.js';
import { findPreset } from '../src-main/shared/presets.js';
import { REFERENCE_DIR, pythonHas } from './reference.js';

const epochs = Number(process.argv[2] ?? 5);
const home = mkdtempSync(join(tmpdir(), 'layerlab-bench-'));
const service = new Service({ home, host: new NodeWorkerHost(join(import.meta.dirname, '..', 'out', 'node')), concurrency: cpus().length });
await service.start();
const api = directApi(service, { face: 'cli' });
const t0 = performance.now();
const groups: Record<string, string | null> = {};
for (const name of ['book-sigmoid', 'book-relu']) {
  const spec = findPreset(name)!.spec;
  const r = await api.invoke('runs:start', { spec: { ...spec, training: { ...spec.training, epochs, seed: 1 } }, datasetId: 'fashion-mnist', name, repeat: 3 });
  groups[name] = r.group;
}
await service.idle();
const oursSeconds = (performance.now() - t0) / 1000;
const runs = await api.invoke('runs:list', {});
const comparison = await api.invoke('compare:runs', { groups: Object.values(groups).filter((g): g is string => !!g) });
await service.close();
rmSync(home, { recursive: true, force: true });

let pytorchSeconds: number | null = null;
let pytorchTable: string | null = null;
if (pythonHas('torch') && existsSync(join(REFERENCE_DIR, 'pytorch_book_table.py'))) {
  const out = execFileSync('/usr/bin/python3', [join(REFERENCE_DIR, 'pytorch_book_table.py'), String(epochs)], { encoding: 'utf8' });
  pytorchTable = out.trim();
  pytorchSeconds = Number(/six runs in ([\d.]+) s/.exec(out)?.[1] ?? NaN);
}
const failed = runs.filter((r) => r.status !== 'completed').length;
process.stdout.write(`${JSON.stringify({
  bench: 'book-table', epochs, runs: runs.length, failed, concurrency: cpus().length,
  oursSeconds: Number(oursSeconds.toFixed(1)),
  pytorchSeconds, ratio: pytorchSeconds ? Number((pytorchSeconds / oursSeconds).toFixed(2)) : null,
  ours: runs.map((r) => ({ name: r.name, seed: r.seed, trainAccuracy: r.trainAccuracy, valAccuracy: r.valAccuracy })),
  verdict: (comparison as { verdicts?: unknown }).verdicts ?? null,
  pytorchTable,
})}\n`);
