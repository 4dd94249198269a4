import Database from 'better-sqlite3';
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src-main/shared/errors.js';
import { INTERRUPTED_QUEUED, INTERRUPTED_RUNNING, openStore, type FinalStatus, type RunStore } from '../../../src-main/store/runs.js';
import { EVALUATION, SPEC, epoch, tempHome } from './helpers.js';

const RUNNING = { backend: 'wasm', trainCount: 48, valCount: 12 };

describe('RunStore: runs and their status', () => {
  let home: string;
  let store: RunStore;
  beforeEach(() => { home = tempHome(); store = openStore(home); });
  afterEach(() => store.close());

  const newRun = (over: Partial<Parameters<RunStore['createRun']>[0]> = {}): string =>
    store.createRun({ name: 'mlp', spec: SPEC, datasetId: 'fashion-mnist', seed: 1, ...over });

  it('creates a queued run with its fields, and returns null for an unknown id', () => {
    const id = newRun({ group: 'g1', experiment: 'e1', limit: 500, tags: ['b', 'a', ' a ', ''], notes: 'first try' });
    const run = store.getRun(id)!;
    expect(run).toMatchObject({
      id, name: 'mlp', group: 'g1', experiment: 'e1', status: 'queued', datasetId: 'fashion-mnist', seed: 1,
      backend: null, startedAt: null, endedAt: null, error: null, notes: 'first try', tags: ['a', 'b'],
      trainCount: null, valCount: null, limit: 500, epochsDone: 0, trainAccuracy: null, valAccuracy: null,
      valLoss: null, seconds: null, testAccuracy: null, epochs: [], evaluation: null, artifacts: [],
    });
    expect(run.spec).toEqual(SPEC);
    expect(Number.isNaN(Date.parse(run.createdAt))).toBe(false);
    expect(store.getRun('nope')).toBeNull();
  });

  it('queued → running → completed, keeping epochs and the evaluation', () => {
    const id = newRun();
    store.markRunning(id, RUNNING);
    for (let e = 1; e <= 3; e++) store.addEpoch(id, epoch(e));
    store.setEvaluation(id, EVALUATION);
    store.finishRun(id, 'completed');
    const run = store.getRun(id)!;
    expect(run).toMatchObject({ status: 'completed', backend: 'wasm', trainCount: 48, valCount: 12, error: null });
    expect(run.startedAt).not.toBeNull();
    expect(run.endedAt).not.toBeNull();
    expect(run.epochs).toEqual([epoch(1), epoch(2), epoch(3)]);
    expect(run.evaluation).toEqual(EVALUATION);
  });

  for (const status of ['stopped', 'failed', 'interrupted'] as const) {
    it(`running → ${status}, and queued → ${status}`, () => {
      const a = newRun();
      store.markRunning(a, RUNNING);
      store.finishRun(a, status, status === 'failed' ? 'out of memory' : undefined);
      expect(store.getRun(a)).toMatchObject({ status, error: status === 'failed' ? 'out of memory' : null });
      const b = newRun();
      store.finishRun(b, status);
      expect(store.getRun(b)!.status).toBe(status);
    });
  }

  it('a queued run cannot complete, and a run can start only once', () => {
    const id = newRun();
    expect(() => store.finishRun(id, 'completed')).toThrow(/is queued: it cannot become completed/);
    store.markRunning(id, RUNNING);
    expect(() => store.markRunning(id, RUNNING)).toThrow(UserError);
  });

  it('refuses to finish a run twice, whatever the second status, and keeps the first', () => {
    const statuses: FinalStatus[] = ['completed', 'stopped', 'failed', 'interrupted'];
    for (const first of statuses) {
      const id = newRun();
      store.markRunning(id, RUNNING);
      store.finishRun(id, first, first === 'failed' ? 'boom' : undefined);
      for (const second of statuses) {
        expect(() => store.finishRun(id, second, 'again')).toThrow(new UserError(`run ${id} is ${first}: it cannot become ${second}`));
      }
      expect(() => store.markRunning(id, RUNNING)).toThrow(UserError);
      expect(() => store.addEpoch(id, epoch(1))).toThrow(UserError);
      expect(store.getRun(id)).toMatchObject({ status: first, error: first === 'failed' ? 'boom' : null });
    }
  });

  it('accepts epochs only while running and only in order', () => {
    const id = newRun();
    expect(() => store.addEpoch(id, epoch(1))).toThrow(/is queued/);
    store.markRunning(id, RUNNING);
    expect(() => store.addEpoch(id, epoch(2))).toThrow(`run ${id}: epoch 2 does not follow epoch 0`);
    store.addEpoch(id, epoch(1));
    expect(() => store.addEpoch(id, epoch(1))).toThrow(/epoch 1 does not follow epoch 1/);
    expect(store.getRun(id)!.epochs).toHaveLength(1);
  });

  it('keeps NaN metrics (no validation split) as NaN in epochs and null in the summary', () => {
    const id = newRun();
    store.markRunning(id, { ...RUNNING, valCount: 0 });
    store.addEpoch(id, epoch(1, { valLoss: NaN, valAccuracy: NaN }));
    const run = store.getRun(id)!;
    expect(run.epochs[0].valLoss).toBeNaN();
    expect(run.valLoss).toBeNull();
    expect(run.valAccuracy).toBeNull();
    expect(run.trainAccuracy).toBe(epoch(1).accuracy);
  });

  it('computes summary fields from the last epoch, the sum of seconds and the test evaluation', () => {
    const id = newRun();
    store.markRunning(id, RUNNING);
    store.addEpoch(id, epoch(1));
    store.addEpoch(id, epoch(2, { accuracy: 0.9, valAccuracy: 0.8, valLoss: 0.3, seconds: 5 }));
    store.setEvaluation(id, EVALUATION);
    const [summary] = store.listRuns();
    expect(summary).toMatchObject({ id, epochsDone: 2, trainAccuracy: 0.9, valAccuracy: 0.8, valLoss: 0.3, testAccuracy: 0.75 });
    expect(summary.seconds).toBeCloseTo(epoch(1).seconds + 5, 10);
    expect(summary).not.toHaveProperty('epochs');
    // A validation-split evaluation is not a test score.
    store.setEvaluation(id, { ...EVALUATION, split: 'validation', accuracy: 0.6 });
    expect(store.getRun(id)!.testAccuracy).toBeNull();
    expect(store.getRun(id)!.evaluation!.accuracy).toBe(0.6);
  });

  it('lists newest first and filters by group, tag, status, dataset and experiment', () => {
    const a = newRun({ group: 'g', tags: ['x'], datasetId: 'mnist', experiment: 'e' });
    const b = newRun({ group: 'g', tags: ['x', 'y'] });
    const c = newRun({ tags: ['y'], datasetId: 'mnist' });
    store.markRunning(c, RUNNING);
    const ids = (f: Parameters<RunStore['listRuns']>[0]): string[] => store.listRuns(f).map((r) => r.id);
    expect(ids({})).toEqual([c, b, a]);
    expect(store.listRuns().map((r) => r.id)).toEqual([c, b, a]);
    expect(ids({ group: 'g' })).toEqual([b, a]);
    expect(ids({ tag: 'y' })).toEqual([c, b]);
    expect(ids({ status: 'running' })).toEqual([c]);
    expect(ids({ dataset: 'mnist' })).toEqual([c, a]);
    expect(ids({ experiment: 'e' })).toEqual([a]);
    expect(ids({ group: 'g', tag: 'y' })).toEqual([b]);
    expect(ids({ tag: 'none' })).toEqual([]);
  });

  it('updates name, notes and tags (tags replace the set), and names an unknown id', () => {
    const id = newRun({ tags: ['old'] });
    store.updateRun(id, { name: 'renamed', notes: 'n', tags: ['new', 'new', 'b'] });
    expect(store.getRun(id)).toMatchObject({ name: 'renamed', notes: 'n', tags: ['b', 'new'] });
    store.updateRun(id, { notes: 'only notes' });
    expect(store.getRun(id)).toMatchObject({ name: 'renamed', notes: 'only notes', tags: ['b', 'new'] });
    expect(() => store.updateRun('missing', { name: 'x' })).toThrow('no run with id missing');
  });

  it('deletes runs with their epochs, tags and folder; an unknown id deletes nothing', () => {
    const a = newRun({ tags: ['t'] });
    const b = newRun();
    store.markRunning(a, RUNNING);
    store.addEpoch(a, epoch(1));
    store.saveArtifact(a, 'model', [{ name: 'model.json', bytes: new TextEncoder().encode('{}') }]);
    expect(() => store.deleteRuns([b, 'missing'])).toThrow('no run with id missing');
    expect(store.getRun(b)).not.toBeNull();
    store.deleteRuns([a]);
    expect(store.getRun(a)).toBeNull();
    expect(existsSync(join(home, 'runs', a))).toBe(false);
    expect(store.listRuns({ tag: 't' })).toEqual([]);
    expect(store.listRuns().map((r) => r.id)).toEqual([b]);
  });

  it('names unknown ids in every write', () => {
    expect(() => store.markRunning('zz', RUNNING)).toThrow('no run with id zz');
    expect(() => store.addEpoch('zz', epoch(1))).toThrow('no run with id zz');
    expect(() => store.setEvaluation('zz', EVALUATION)).toThrow('no run with id zz');
    expect(() => store.finishRun('zz', 'stopped')).toThrow('no run with id zz');
    expect(() => store.saveArtifact('zz', 'model', [{ name: 'a', bytes: new Uint8Array(1) }])).toThrow('no run with id zz');
    expect(() => store.exportRun('zz')).toThrow('no run with id zz');
  });
});

describe('RunStore: recovering after a crash', () => {
  it('is not a side effect of opening: a run another process is training stays running', () => {
    const home = tempHome();
    const writer = openStore(home);
    const id = writer.createRun({ spec: SPEC, datasetId: 'd', seed: 1 });
    writer.markRunning(id, RUNNING);
    const reader = openStore(home);
    expect(reader.getRun(id)!.status).toBe('running');
    writer.addEpoch(id, epoch(1));
    expect(reader.getRun(id)!.epochsDone).toBe(1);
    reader.close();
    writer.close();
  });

  it('marks running and queued runs interrupted, keeps every epoch, leaves finished runs alone', () => {
    const home = tempHome();
    const before = openStore(home);
    const running = before.createRun({ spec: SPEC, datasetId: 'd', seed: 1 });
    const queued = before.createRun({ spec: SPEC, datasetId: 'd', seed: 2 });
    const done = before.createRun({ spec: SPEC, datasetId: 'd', seed: 3 });
    before.markRunning(running, RUNNING);
    for (let e = 1; e <= 4; e++) before.addEpoch(running, epoch(e));
    before.markRunning(done, RUNNING);
    before.finishRun(done, 'completed');
    // A process killed while placing an artifact leaves a staging folder behind.
    mkdirSync(join(home, 'runs', running, '.staging-model-0123456789ab'), { recursive: true });
    writeFileSync(join(home, 'runs', running, '.staging-model-0123456789ab', 'weights.bin'), 'half');
    before.close();

    const after = openStore(home);
    expect(after.recoverInterrupted().sort()).toEqual([running, queued].sort());
    expect(after.getRun(running)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_RUNNING, epochsDone: 4 });
    expect(after.getRun(running)!.epochs).toEqual([1, 2, 3, 4].map((e) => epoch(e)));
    expect(after.getRun(running)!.endedAt).not.toBeNull();
    expect(after.getRun(queued)).toMatchObject({ status: 'interrupted', error: INTERRUPTED_QUEUED });
    expect(after.getRun(done)).toMatchObject({ status: 'completed', error: null });
    expect(existsSync(join(home, 'runs', running, '.staging-model-0123456789ab'))).toBe(false);
    expect(after.recoverInterrupted()).toEqual([]);
    expect(() => after.finishRun(running, 'failed')).toThrow(UserError);
    after.close();
  });

  it('leaves alone the runs of another Layerlab process that is still alive, and recovers them once it is gone', () => {
    const home = tempHome();
    const store = openStore(home);
    const theirs = store.createRun({ spec: SPEC, datasetId: 'd', seed: 1 });
    store.markRunning(theirs, RUNNING);
    store.addEpoch(theirs, epoch(1));
    store.close();
    // The row says another process owns it: pid 4242, alive, then dead.
    const db = new Database(join(home, 'layerlab.db'));
    db.prepare('UPDATE runs SET owner_pid = 4242 WHERE id = ?').run(theirs);
    db.close();
    const again = openStore(home);
    expect(again.recoverInterrupted((pid) => pid === 4242)).toEqual([]);
    expect(again.getRun(theirs)!.status).toBe('running');
    expect(again.recoverInterrupted(() => false)).toEqual([theirs]);
    expect(again.getRun(theirs)).toMatchObject({ status: 'interrupted', epochsDone: 1 });
    again.close();
  });
});
