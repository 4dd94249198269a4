/**
 * Issue 17: `layerlab runs list` and `layerlab compare` say which queue worker trained a run.
 * The runs are written into a real store as the owner records a worker's reports (markRunning
 * with the worker, epochs by attempt), so no Redis is needed here; test/integration/redis trains
 * them for real.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { layerlab } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { openStore } from '../../src-main/store/runs.js';
import { SPEC, epoch } from '../unit/store/helpers.js';

const A = { host: 'lab-1', pid: 11, name: 'lab-1:11', backend: 'wasm', device: 'CPU, WebAssembly' };
const B = { host: 'lab-2', pid: 22, name: 'lab-2:22', backend: 'wasm', device: 'CPU, WebAssembly' };

describe('layerlab runs list and compare: the queue workers', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  beforeAll(() => {
    const store = openStore(home);
    // Group "relu": two runs on lab-1, one on lab-2; group "sigmoid": one on lab-2, one here.
    const add = (name: string, group: string, seed: number, worker: typeof A | null, val: number) => {
      const id = store.createRun({ name: `${name} (seed ${seed})`, group, spec: SPEC, datasetId: 'fashion-mnist', seed });
      store.markRunning(id, { backend: 'wasm', trainCount: 48, valCount: 12, ...(worker ? { attempt: 1, worker } : {}) });
      store.addEpoch(id, epoch(1, { valAccuracy: val }), worker ? 1 : undefined);
      store.finishRun(id, 'completed');
    };
    add('relu', 'relu-g', 1, A, 0.81);
    add('relu', 'relu-g', 2, A, 0.83);
    add('relu', 'relu-g', 3, B, 0.82);
    add('sigmoid', 'sig-g', 1, B, 0.71);
    add('sigmoid', 'sig-g', 2, null, 0.72);
    store.close();
  });

  it('runs list has a worker column, filters by worker, and writes CSV', () => {
    const r = layerlab(['runs', 'list'], home);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/\bworker$/);
    expect(lines.filter((l) => / lab-1:11$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => / lab-2:22$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^\S+\s+sigmoid \(seed 2\).* -$/.test(l))).toHaveLength(1);

    const only = layerlab(['runs', 'list', '--worker', 'lab-2:22', '--json'], home);
    const runs = JSON.parse(only.stdout) as { name: string; worker: typeof A }[];
    expect(runs.map((x) => x.name).sort()).toEqual(['relu (seed 3)', 'sigmoid (seed 1)']);
    expect(runs[0].worker).toEqual(B);

    const csv = layerlab(['runs', 'list', '--format', 'csv'], home).stdout.trim().split('\n');
    expect(csv[0]).toBe('id,name,group,status,dataset,model,optimizer,seed,train score,val score,epochs,seconds,worker');
    expect(csv.find((l) => l.includes('sigmoid (seed 2)'))).toMatch(/,$/);
    expect(csv.find((l) => l.includes('relu (seed 3)'))).toMatch(/,lab-2:22$/);
    expect(layerlab(['runs', 'list', '--format', 'xml'], home).code).toBe(2);
  });

  it('a local history lists no worker column', () => {
    const r = layerlab(['runs', 'list', '--worker', 'nobody'], home);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).not.toMatch(/worker/);
  });

  it('compare says which workers trained each group, how many runs each', () => {
    const r = layerlab(['compare', 'relu-g', 'sig-g'], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^relu\s.*lab-1:11 \(2\), lab-2:22 \(1\)$/m);
    expect(r.stdout).toMatch(/^sigmoid\s.*lab-2:22 \(1\), this machine \(1\)$/m);
    const csv = layerlab(['compare', 'relu-g', 'sig-g', '--format', 'csv'], home).stdout;
    expect(csv).toContain('"lab-1:11 (2), lab-2:22 (1)"');
    const json = JSON.parse(layerlab(['compare', 'relu-g', 'sig-g', '--json'], home).stdout) as { groups: { label: string; workers: unknown }[]; table: { worker: string | null }[] };
    expect(json.groups.map((g) => g.workers)).toEqual([[{ name: 'lab-1:11', runs: 2 }, { name: 'lab-2:22', runs: 1 }], [{ name: 'lab-2:22', runs: 1 }]]);
    expect(json.table.filter((t) => t.worker === null)).toHaveLength(1);
  });

  it('worker --help gives its usage with --stall-seconds and when a killed worker\'s run is retried', () => {
    const r = layerlab(['worker', '--help'], home);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ {2}layerlab worker --redis URL .*\[--stall-seconds N\]/);
    expect(r.stdout).toMatch(/--stall-seconds: .*\(default 30\)/);
    expect(r.stdout).toContain('within about twice that (~60 s)');
    expect(r.stdout).not.toContain('layerlab train');
    expect(r.stdout).toContain('--home DIR');
  });
});
