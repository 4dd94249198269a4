/**
 * The book's comparison end to end: book-sigmoid and book-relu, 3 seeds each, 5 epochs, full data,
 * through the service's queue the way the app and an experiment run them (parallel trainer
 * processes, one per core by default), against PyTorch's fastest way here
 * (../shared/reference/pytorch_book_table.py: one single-threaded process per core, the six runs
 * shared among them). Rounds alternate ours and PyTorch. Prints one JSON object; see bench/README.md.
 *
 *   npx tsx bench/book-table.ts [--epochs 5] [--rounds 1] [--concurrency N (default: the core count)]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Service } from '../src-main/service/service.js';
import { directApi } from '../src-main/service/local-api.js';
import { NodeWorkerHost } from '../src-main/workers/node-host.js';
import { findPreset } from '../src-main/shared/presets.js';
import { loadAverage, pytorchBookTable, referenceMissing, referenceScript, type TorchBookTable } from './reference.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '1' },
    concurrency: { type: 'string' },
  },
});
const epochs = Number(values.epochs);
const rounds = Number(values.rounds);
const cores = cpus().length;
const concurrency = values.concurrency ? Number(values.concurrency) : cores;

interface OurRound {
  seconds: number;
  /** Most trainer processes seen running at once. */
  maxParallel: number;
  backends: string[];
  /**
   * Per run: startup (from its queue slot freeing, i.e. the trainer process launching, to the
   * trainer saying it started: process, bundle, backend, dataset), then seconds from started to
   * finished, and the epochs' own seconds (training + validation) within that.
   */
  perRun: Array<{ name: string; startupSeconds: number; seconds: number; epochSeconds: number }>;
  failed: number;
  runs: Array<{ name: string; seed: number | null; trainAccuracy: number | null; valAccuracy: number | null }>;
  verdict: unknown;
}

async function ours(): Promise<OurRound> {
  const home = mkdtempSync(join(tmpdir(), 'layerlab-bench-'));
  const service = new Service({ home, host: new NodeWorkerHost(join(import.meta.dirname, '..', 'out', 'node')), concurrency });
  await service.start();
  try {
    const api = directApi(service, { face: 'cli' });
    const active = new Set<string>();
    const startedAt = new Map<string, number>();
    const epochSeconds = new Map<string, number>();
    const perRun: OurRound['perRun'] = [];
    const finishes: number[] = [];
    let startedCount = 0;
    const startup = new Map<string, number>();
    const backends = new Set<string>();
    let maxParallel = 0;
    const t0 = performance.now();
    service.on('runs:started', (e) => {
      active.add(e.runId);
      const now = performance.now();
      startedAt.set(e.runId, now);
      // FIFO with `concurrency` slots: the i-th trainer launched when the (i − concurrency)-th run ended.
      const launched = startedCount < concurrency ? t0 : finishes[startedCount - concurrency] ?? now;
      startup.set(e.runId, (now - launched) / 1000);
      startedCount++;
      backends.add(`${e.backend}: ${e.device}`);
      maxParallel = Math.max(maxParallel, active.size);
    });
    service.on('runs:epoch', (e) => epochSeconds.set(e.runId, (epochSeconds.get(e.runId) ?? 0) + e.seconds));
    service.on('runs:finished', (e) => {
      active.delete(e.runId);
      finishes.push(performance.now());
      perRun.push({ name: e.run.name, startupSeconds: round(startup.get(e.runId) ?? 0, 1), seconds: round((performance.now() - (startedAt.get(e.runId) ?? 0)) / 1000, 1), epochSeconds: round(epochSeconds.get(e.runId) ?? 0, 1) });
    });
    const groups: string[] = [];
    for (const name of ['book-sigmoid', 'book-relu']) {
      const spec = findPreset(name)!.spec;
      const r = await api.invoke('runs:start', { spec: { ...spec, training: { ...spec.training, epochs, seed: 1 } }, datasetId: 'fashion-mnist', name, repeat: 3 });
      if (r.group) groups.push(r.group);
    }
    await service.idle();
    const seconds = (performance.now() - t0) / 1000;
    const runs = await api.invoke('runs:list', {});
    const comparison = await api.invoke('compare:runs', { groups });
    return {
      seconds: round(seconds, 1), maxParallel, backends: [...backends], perRun,
      failed: runs.filter((r) => r.status !== 'completed').length,
      runs: runs.map((r) => ({ name: r.name, seed: r.seed, trainAccuracy: r.trainAccuracy, valAccuracy: r.valAccuracy })),
      verdict: comparison.verdict,
    };
  } finally {
    await service.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const missing = referenceMissing(referenceScript('pytorch_book_table.py'), 'torch');
const loadBefore = loadAverage();
const oursRounds: OurRound[] = [];
const torchRounds: TorchBookTable[] = [];
for (let r = 0; r < rounds; r++) {
  process.stderr.write(`book-table round ${r + 1}/${rounds}: ours…\n`);
  oursRounds.push(await ours());
  if (!missing) {
    process.stderr.write(`book-table round ${r + 1}/${rounds}: PyTorch…\n`);
    torchRounds.push(pytorchBookTable(epochs, cores));
  }
}
const bestOurs = oursRounds.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const bestTorch = torchRounds.length ? torchRounds.reduce((a, b) => (b.seconds < a.seconds ? b : a)) : null;
process.stdout.write(`${JSON.stringify({
  bench: 'book-table', epochs, rounds, cores, concurrency, loadBefore, loadAfter: loadAverage(),
  oursSeconds: bestOurs.seconds,
  pytorchSeconds: bestTorch?.seconds ?? null,
  pytorchProcesses: bestTorch?.processes ?? null,
  /** PyTorch's seconds / ours: ≥ 1 means our six runs finished no later. */
  ratio: bestTorch ? round(bestTorch.seconds / bestOurs.seconds, 2) : null,
  perRound: oursRounds.map((o, i) => ({ ours: o.seconds, maxParallel: o.maxParallel, pytorch: torchRounds[i]?.seconds ?? null })),
  ours: { backends: bestOurs.backends, maxParallel: bestOurs.maxParallel, failed: bestOurs.failed, perRun: bestOurs.perRun, runs: bestOurs.runs, verdict: bestOurs.verdict },
  pytorch: bestTorch ? bestTorch.table : missing,
})}\n`);
