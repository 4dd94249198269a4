/**
 * Durability: a real `layerlab train` (service, store, trainer process) SIGKILLed at many moments.
 * Every epoch it printed was committed first, so the reopened store has at least those epochs, in
 * order, the run is `interrupted`, and SQLite's integrity check passes.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src-main/store/runs.js';
import { startLayerlab } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';

/** Kill after this many printed epochs, plus this many ms. */
// 3000 epochs: the native engine finishes 30 epochs of 1,500 samples in well under a second, so a
// short run could complete before the kill lands; the test always kills, so the length costs nothing.
const MOMENTS: Array<[number, number]> = [[0, 0], [1, 0], [2, 0], [2, 37], [2, 120], [3, 5], [3, 260], [4, 90]];

async function trainAndKill(home: string, afterEpochs: number, delayMs: number): Promise<number> {
  const child = startLayerlab(['train', '--preset', 'book-relu', '--limit', '1500', '--epochs', '3000', '--json'], home);
  let printed = 0;
  let buffer = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    const check = () => { if (printed >= afterEpochs) resolve(); };
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      printed += lines.filter((l) => l.includes('"type":"epoch"')).length;
      check();
    });
    // Moment 0: as soon as the run exists (the CLI opened the store and queued it).
    if (afterEpochs === 0) setTimeout(resolve, 900);
  });
  await sleep(delayMs);
  child.kill('SIGKILL');
  await exited;
  return printed;
}

describe('a run killed at any moment loses no completed epoch', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it.each(MOMENTS)('killed after %i printed epochs + %i ms', async (afterEpochs, delayMs) => {
    const before = openStore(home);
    const known = new Set(before.listRuns().map((r) => r.id));
    before.close();
    const printed = await trainAndKill(home, afterEpochs, delayMs);

    const db = new Database(join(home, 'layerlab.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const store = openStore(home);
    store.recoverInterrupted();
    const run = store.listRuns().find((r) => !known.has(r.id));
    if (!run) {
      // Killed before the run was created: nothing half-written either.
      expect(afterEpochs).toBe(0);
      store.close();
      return;
    }
    const detail = store.getRun(run.id)!;
    store.close();
    expect(detail.status).toBe('interrupted');
    expect(detail.epochs.length).toBeGreaterThanOrEqual(printed);
    expect(detail.epochs.map((e) => e.epoch)).toEqual(detail.epochs.map((_, i) => i + 1));
    for (const e of detail.epochs) expect(Number.isFinite(e.loss) && Number.isFinite(e.valAccuracy)).toBe(true);
  });
});
