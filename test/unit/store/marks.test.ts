/**
 * What a run's callbacks did, in the store: recorded once the epochs are, checked against them,
 * read back in the summary (the kept epoch's scores), carried through export and import, and read
 * from a version-1 export (no marks) as none.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../src-main/store/runs.js';
import { EVALUATION, SPEC, epoch, tempHome } from './helpers.js';

function finishedRun(home: string, epochs: number, marks?: { stoppedEpoch: number | null; bestEpoch: number | null; modelEpoch: number }) {
  const store = openStore(home);
  const id = store.createRun({ spec: SPEC, datasetId: 'fashion-mnist', seed: 1 });
  store.markRunning(id, { backend: 'cpu', trainCount: 100, valCount: 20 });
  for (let e = 1; e <= epochs; e++) store.addEpoch(id, epoch(e, { valAccuracy: 0.5 + (e === 2 ? 0.2 : 0) }));
  if (marks) store.setMarks(id, marks);
  store.setEvaluation(id, EVALUATION);
  store.finishRun(id, 'completed');
  return { store, id };
}

describe('callback marks in the run store', () => {
  it('records them and gives the kept epoch\'s scores', () => {
    const { store, id } = finishedRun(tempHome(), 4, { stoppedEpoch: 4, bestEpoch: 2, modelEpoch: 2 });
    const run = store.getRun(id)!;
    expect([run.stoppedEpoch, run.bestEpoch, run.modelEpoch]).toEqual([4, 2, 2]);
    expect(run.valAccuracy).toBe(0.7);
    expect(run.trainAccuracy).toBe(epoch(2).accuracy);
    expect(run.epochsDone).toBe(4);
    store.close();
  });

  it('leaves the last epoch as the scores when the model is the last epoch\'s', () => {
    const { store, id } = finishedRun(tempHome(), 3, { stoppedEpoch: null, bestEpoch: 2, modelEpoch: 3 });
    const run = store.getRun(id)!;
    expect([run.stoppedEpoch, run.bestEpoch, run.modelEpoch]).toEqual([null, 2, null]);
    expect(run.valAccuracy).toBe(0.5);
    store.close();
  });

  it('refuses an epoch the run does not have', () => {
    const home = tempHome();
    const store = openStore(home);
    const id = store.createRun({ spec: SPEC, datasetId: 'fashion-mnist', seed: 1 });
    store.markRunning(id, { backend: 'cpu', trainCount: 100, valCount: 20 });
    store.addEpoch(id, epoch(1));
    expect(() => store.setMarks(id, { stoppedEpoch: null, bestEpoch: 2, modelEpoch: 1 })).toThrow(/epoch 2 is not one of its 1 epochs/);
    store.close();
  });

  it('exports and imports them, and reads a version-1 file as without marks', () => {
    const { store, id } = finishedRun(tempHome(), 4, { stoppedEpoch: 4, bestEpoch: 2, modelEpoch: 2 });
    const file = store.exportRun(id).path;
    // Under another id: the run itself would be answered as already here.
    const other = JSON.parse(readFileSync(file, 'utf8')) as { run: Record<string, unknown> };
    other.run.id = 'run-from-elsewhere';
    writeFileSync(file, JSON.stringify(other));
    const again = store.importRun(file);
    expect(again.reused).toBeUndefined();
    expect([again.stoppedEpoch, again.bestEpoch, again.modelEpoch, again.valAccuracy]).toEqual([4, 2, 2, 0.7]);

    const old = JSON.parse(readFileSync(file, 'utf8')) as { version: number; run: Record<string, unknown> };
    old.version = 1;
    old.run.id = 'run-from-version-1';
    for (const k of ['stoppedEpoch', 'bestEpoch', 'modelEpoch', 'continuedFrom']) delete old.run[k];
    const v1 = join(store.home, 'v1.json');
    writeFileSync(v1, JSON.stringify(old));
    const fromV1 = store.importRun(v1);
    expect([fromV1.stoppedEpoch, fromV1.bestEpoch, fromV1.modelEpoch, fromV1.valAccuracy]).toEqual([null, null, null, 0.5]);

    const bad = JSON.parse(readFileSync(file, 'utf8')) as { run: Record<string, unknown> };
    bad.run.bestEpoch = 9;
    writeFileSync(v1, JSON.stringify(bad));
    expect(() => store.importRun(v1)).toThrow(/run\.bestEpoch: epoch 9 but the file has 4 epochs/);
    store.close();
  });
});
