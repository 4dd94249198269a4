/**
 * Layer statistics in the store: committed with their epoch, read back exactly, carried through
 * export and import (format 3), read from a format-2 file as none, refused when malformed, and
 * gone with the run.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openStore } from '../../../src-main/store/runs.js';
import { MIGRATIONS } from '../../../src-main/store/migrations.js';
import type { LayerStat } from '../../../src-main/shared/layer-stats.js';
import { SPEC, epoch, tempHome } from './helpers.js';

function stat(i: number, e: number): LayerStat {
  return {
    index: i, type: 'dense', activation: i === 1 ? 'relu' : 'softmax', count: 2560,
    mean: 0.25 * e, sd: 0.5, zeros: i === 1 ? 0.58 : 0, saturated: i === 1 ? null : 0.125,
    histogram: { edges: [0, 0.5, 1], counts: [2000, 560] },
    gradNorm: 0.01 * e, weightNorm: 2, gradRatio: 0.005 * e,
  };
}

function runWithStats(home: string) {
  const store = openStore(home);
  const id = store.createRun({ spec: SPEC, datasetId: 'fashion-mnist', seed: 1 });
  store.markRunning(id, { backend: 'cpu', trainCount: 100, valCount: 20 });
  store.addEpoch(id, epoch(1, { layers: [stat(1, 1), stat(2, 1)] }));
  store.addEpoch(id, epoch(2, { layers: [stat(1, 2), stat(2, 2)] }));
  store.addEpoch(id, epoch(3));
  store.finishRun(id, 'completed');
  return { store, id };
}

describe('layer statistics in the run store', () => {
  it('commits them with their epoch and reads them back; an epoch without them has none', () => {
    const { store, id } = runWithStats(tempHome());
    const run = store.getRun(id)!;
    expect(run.epochs[0].layers).toEqual([stat(1, 1), stat(2, 1)]);
    expect(run.epochs[1].layers).toEqual([stat(1, 2), stat(2, 2)]);
    expect(run.epochs[2]).not.toHaveProperty('layers');
    store.close();
  });

  it('exports and imports them; a format-2 file reads as without them; a damaged one is refused in one line', () => {
    const { store, id } = runWithStats(tempHome());
    const file = store.exportRun(id).path;
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { version: number; epochs: Array<Record<string, unknown>> };
    expect(doc.version).toBe(3);
    const again = store.getRun(store.importRun(file).id)!;
    expect(again.epochs.map((e) => e.layers)).toEqual(store.getRun(id)!.epochs.map((e) => e.layers));

    const old = structuredClone(doc);
    old.version = 2;
    // Under another id: the run itself would be answered as already here.
    (old as unknown as { run: { id: string } }).run.id = 'run-from-format-2';
    for (const e of old.epochs) delete e.layers;
    const oldFile = join(file, '..', 'v2.json');
    writeFileSync(oldFile, JSON.stringify(old));
    expect(store.getRun(store.importRun(oldFile).id)!.epochs.every((e) => e.layers === undefined)).toBe(true);

    const bad = structuredClone(doc);
    (bad.epochs[0].layers as LayerStat[])[0].histogram.counts.push(1);
    const badFile = join(file, '..', 'bad.json');
    writeFileSync(badFile, JSON.stringify(bad));
    expect(() => store.importRun(badFile)).toThrow(/bad\.json: epochs\.0\.layers\.0\.histogram: edges must be one more than counts/);
    store.close();
  });

  it('goes with the run when it is deleted', () => {
    const home = tempHome();
    const { store, id } = runWithStats(home);
    store.deleteRuns([id]);
    store.close();
    const db = new Database(join(home, 'layerlab.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM epochs WHERE layers IS NOT NULL').pluck().get()).toBe(0);
    db.close();
  });

  it('migrates a version-3 database: its epochs keep their numbers and have no statistics', () => {
    const home = tempHome();
    const { store, id } = runWithStats(home);
    store.close();
    // Rebuild the file as migration 3 left it, with one epoch row, then open it again.
    const path = join(home, 'layerlab.db');
    const db = new Database(path);
    db.exec('DROP TABLE epochs');
    // And the runs table as it was before migration 5 (the device columns).
    db.exec('ALTER TABLE runs DROP COLUMN device; ALTER TABLE runs DROP COLUMN backend_notes');
    // And before migration 6 (queue workers' attempts).
    db.exec('ALTER TABLE runs DROP COLUMN worker; ALTER TABLE runs DROP COLUMN attempt; DROP TABLE lost_attempts');
    db.exec(MIGRATIONS[0].slice(MIGRATIONS[0].indexOf('CREATE TABLE epochs'), MIGRATIONS[0].indexOf('-- One evaluation')));
    db.prepare('INSERT INTO epochs VALUES (?, 1, 0.5, 0.8, 0.6, 0.7, 2, 1000)').run(id);
    db.pragma('user_version = 3');
    db.close();
    const reopened = openStore(home);
    const run = reopened.getRun(id)!;
    expect(run.epochs).toEqual([{ epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: 0.6, valAccuracy: 0.7, seconds: 2, samplesPerSecond: 1000 }]);
    reopened.close();
  });
});
