/**
 * Attempts (issue 17): a queue worker killed mid-run leaves a lost attempt; the retried attempt's
 * epochs are the run's, the lost ones are kept apart and counted nowhere; reports are idempotent
 * by (run, attempt, epoch).
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { openStore, type RunStore } from '../../../src-main/store/runs.js';
import { EVALUATION, SPEC, epoch, tempHome } from './helpers.js';

const A = { host: 'lab-1', pid: 11, name: 'lab-1:11', backend: 'native', device: 'CPU' };
const B = { host: 'lab-2', pid: 22, name: 'lab-2:22', backend: 'wasm', device: 'CPU, WebAssembly' };

describe('RunStore: attempts of a queued run', () => {
  let store: RunStore;
  beforeEach(() => { store = openStore(tempHome()); });
  afterEach(() => store.close());

  it('a second attempt moves the first one\'s epochs aside; statistics see only the second', () => {
    const id = store.createRun({ name: 'r', spec: SPEC, datasetId: 'fashion-mnist', seed: 1 });
    expect(store.markRunning(id, { backend: 'native', trainCount: 48, valCount: 12, attempt: 1, worker: A })).toBe(true);
    store.addEpoch(id, epoch(1, { valAccuracy: 0.1 }), 1);
    store.addEpoch(id, epoch(2, { valAccuracy: 0.2 }), 1);
    store.setEvaluation(id, EVALUATION);
    expect(store.markRunning(id, { backend: 'wasm', trainCount: 48, valCount: 12, attempt: 2, worker: B, lostWhy: 'worker lab-1:11 stalled' })).toBe(true);
    // A late report of the lost attempt is ignored, and so is a repeated start.
    expect(store.addEpoch(id, epoch(3), 1)).toBe(false);
    expect(store.markRunning(id, { backend: 'wasm', trainCount: 48, valCount: 12, attempt: 2, worker: B })).toBe(false);
    expect(store.addEpoch(id, epoch(1, { valAccuracy: 0.7 }), 2)).toBe(true);
    // The same epoch reported twice is recorded once.
    expect(store.addEpoch(id, epoch(1, { valAccuracy: 0.7 }), 2)).toBe(false);
    expect(store.addEpoch(id, epoch(2, { valAccuracy: 0.8 }), 2)).toBe(true);
    store.finishRun(id, 'completed');
    const run = store.getRun(id)!;
    expect(run.attempt).toBe(2);
    expect(run.worker).toEqual(B);
    expect(run.epochs.map((e) => e.valAccuracy)).toEqual([0.7, 0.8]);
    expect(run.epochsDone).toBe(2);
    expect(run.valAccuracy).toBe(0.8);
    expect(run.seconds).toBeCloseTo(epoch(1).seconds + epoch(2).seconds);
    expect(run.evaluation).toBeNull();
    expect(run.lostAttempts).toHaveLength(1);
    expect(run.lostAttempts![0]).toMatchObject({ attempt: 1, worker: A, backend: 'native', why: 'worker lab-1:11 stalled' });
    expect(run.lostAttempts![0].epochs.map((e) => [e.epoch, e.valAccuracy])).toEqual([[1, 0.1], [2, 0.2]]);
    expect(store.listRuns()[0]).toMatchObject({ id, attempt: 2, epochsDone: 2, valAccuracy: 0.8 });
  });

  it('an epoch that skips one is still refused, and a local run keeps attempt 1 with no worker', () => {
    const id = store.createRun({ name: 'r', spec: SPEC, datasetId: 'fashion-mnist', seed: 1 });
    store.markRunning(id, { backend: 'cpu', trainCount: 48, valCount: 12 });
    expect(() => store.addEpoch(id, epoch(2), 1)).toThrow(/epoch 2 does not follow epoch 0/);
    expect(store.getRun(id)).toMatchObject({ attempt: 1, worker: null, lostAttempts: [] });
  });

  it('the list names each run\'s worker and filters by it; a local run has none', () => {
    const a = store.createRun({ name: 'a', spec: SPEC, datasetId: 'fashion-mnist', seed: 1 });
    const b = store.createRun({ name: 'b', spec: SPEC, datasetId: 'fashion-mnist', seed: 2 });
    const local = store.createRun({ name: 'local', spec: SPEC, datasetId: 'fashion-mnist', seed: 3 });
    store.markRunning(a, { backend: 'native', trainCount: 48, valCount: 12, attempt: 1, worker: A });
    store.markRunning(b, { backend: 'wasm', trainCount: 48, valCount: 12, attempt: 1, worker: B });
    store.markRunning(local, { backend: 'cpu', trainCount: 48, valCount: 12 });
    const byId = new Map(store.listRuns().map((r) => [r.id, r.worker]));
    expect(byId.get(a)).toEqual(A);
    expect(byId.get(b)).toEqual(B);
    expect(byId.get(local)).toBeNull();
    expect(store.listRuns({ worker: 'lab-2:22' }).map((r) => r.id)).toEqual([b]);
    expect(store.listRuns({ worker: 'lab-1:11', status: 'running' }).map((r) => r.id)).toEqual([a]);
    expect(store.listRuns({ worker: 'nobody' })).toEqual([]);
  });
});
