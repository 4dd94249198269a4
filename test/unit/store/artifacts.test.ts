import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src-main/shared/errors.js';
import { databasePath } from '../../../src-main/store/db.js';
import { openStore, type RunStore } from '../../../src-main/store/runs.js';
import { SPEC, listFiles, tempHome } from './helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const MODEL = [{ name: 'model.json', bytes: enc('{"format":"layers-model"}') }, { name: 'weights.bin', bytes: new Uint8Array([1, 2, 3, 4, 5]) }];

describe('RunStore.saveArtifact', () => {
  let home: string;
  let store: RunStore;
  let id: string;
  beforeEach(() => {
    home = tempHome();
    store = openStore(home);
    id = store.createRun({ spec: SPEC, datasetId: 'd', seed: 1 });
  });
  afterEach(() => store.close());

  it('writes the files under runs/<id>/<kind>/ and records size and sha256', () => {
    const rows = store.saveArtifact(id, 'model', MODEL);
    expect(rows).toEqual(MODEL.map((f) => ({ kind: 'model', path: `runs/${id}/model/${f.name}`, bytes: f.bytes.byteLength, sha256: sha(f.bytes) })));
    expect(store.getRun(id)!.artifacts).toEqual(rows);
    for (const f of MODEL) expect(new Uint8Array(readFileSync(join(home, 'runs', id, 'model', f.name)))).toEqual(f.bytes);
    expect(listFiles(join(home, 'runs'))).toEqual([`${id}/model/model.json`, `${id}/model/weights.bin`]);
  });

  it('saving a kind again replaces its files and rows', () => {
    store.saveArtifact(id, 'model', MODEL);
    store.saveArtifact(id, 'model', [{ name: 'model.json', bytes: enc('{}') }]);
    expect(store.getRun(id)!.artifacts.map((a) => a.path)).toEqual([`runs/${id}/model/model.json`]);
    expect(listFiles(join(home, 'runs'))).toEqual([`${id}/model/model.json`]);
  });

  it('a file that cannot be written mid-way leaves no row, no file and no temp folder', () => {
    // The second name is longer than any file system allows: the first file is already written.
    const files = [MODEL[0], { name: 'w'.repeat(300), bytes: new Uint8Array(10) }];
    expect(() => store.saveArtifact(id, 'model', files)).toThrow(/ENAMETOOLONG/);
    expect(store.getRun(id)!.artifacts).toEqual([]);
    expect(listFiles(join(home, 'runs'))).toEqual([]);
  });

  it('a failed mid-way re-save keeps the earlier set, files and rows', () => {
    const first = store.saveArtifact(id, 'model', MODEL);
    expect(() => store.saveArtifact(id, 'model', [{ name: 'model.json', bytes: enc('new') }, { name: 'x'.repeat(300), bytes: enc('') }])).toThrow();
    expect(store.getRun(id)!.artifacts).toEqual(first);
    expect(listFiles(join(home, 'runs'))).toEqual([`${id}/model/model.json`, `${id}/model/weights.bin`]);
    expect(readFileSync(join(home, 'runs', id, 'model', 'model.json'), 'utf8')).toBe('{"format":"layers-model"}');
  });

  it('a database failure after the files are in place removes them again (and restores the old set)', () => {
    const first = store.saveArtifact(id, 'model', MODEL);
    const other = new Database(databasePath(home));
    other.exec("CREATE TRIGGER fail BEFORE INSERT ON artifacts BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => store.saveArtifact(id, 'model', [{ name: 'model.json', bytes: enc('new') }])).toThrow('disk full');
    expect(() => store.saveArtifact(id, 'plots', [{ name: 'loss.svg', bytes: enc('<svg/>') }])).toThrow('disk full');
    other.exec('DROP TRIGGER fail');
    other.close();
    expect(store.getRun(id)!.artifacts).toEqual(first);
    expect(listFiles(join(home, 'runs'))).toEqual([`${id}/model/model.json`, `${id}/model/weights.bin`]);
    expect(readFileSync(join(home, 'runs', id, 'model', 'model.json'), 'utf8')).toBe('{"format":"layers-model"}');
  });

  it('refuses unsafe kinds and names before writing anything', () => {
    const bad: [string, string][] = [['../x', 'a'], ['Model', 'a'], ['model', '../evil'], ['model', 'a/b'], ['model', '.hidden'], ['model', '']];
    for (const [kind, name] of bad) {
      expect(() => store.saveArtifact(id, kind, [{ name, bytes: enc('x') }])).toThrow(UserError);
    }
    expect(() => store.saveArtifact(id, 'model', [MODEL[0], MODEL[0]])).toThrow(/appears twice/);
    expect(() => store.saveArtifact(id, 'model', [])).toThrow(UserError);
    expect(listFiles(home).filter((f) => f.startsWith('runs/'))).toEqual([]);
  });

  describe('recoverInterrupted makes the folders agree with the rows after a crash', () => {
    const model = (): string[] => listFiles(join(home, 'runs', id));
    const text = (name: string): string => readFileSync(join(home, 'runs', id, 'model', name), 'utf8');

    it('killed after moving the old set aside, before the new one arrived: the old set comes back', () => {
      store.saveArtifact(id, 'model', MODEL);
      const folder = join(home, 'runs', id);
      mkdirSync(join(folder, '.staging-model-aaaaaaaaaaaa'));
      writeFileSync(join(folder, '.staging-model-aaaaaaaaaaaa', 'model.json'), 'new');
      renameSync(join(folder, 'model'), join(folder, '.old-model-aaaaaaaaaaaa'));
      store.recoverInterrupted();
      expect(model()).toEqual(['model/model.json', 'model/weights.bin']);
      expect(text('model.json')).toBe('{"format":"layers-model"}');
    });

    it('killed after the new set arrived, before its rows committed: the old set comes back', () => {
      store.saveArtifact(id, 'model', MODEL);
      const folder = join(home, 'runs', id);
      renameSync(join(folder, 'model'), join(folder, '.old-model-bbbbbbbbbbbb'));
      mkdirSync(join(folder, 'model'));
      writeFileSync(join(folder, 'model', 'model.json'), 'uncommitted');
      store.recoverInterrupted();
      expect(model()).toEqual(['model/model.json', 'model/weights.bin']);
      expect(text('model.json')).toBe('{"format":"layers-model"}');
    });

    it('killed after the commit, before the old set was removed: the old set goes', () => {
      store.saveArtifact(id, 'model', MODEL);
      const folder = join(home, 'runs', id);
      mkdirSync(join(folder, '.old-model-cccccccccccc'));
      writeFileSync(join(folder, '.old-model-cccccccccccc', 'model.json'), 'previous');
      store.recoverInterrupted();
      expect(model()).toEqual(['model/model.json', 'model/weights.bin']);
      expect(text('model.json')).toBe('{"format":"layers-model"}');
    });

    it('a kind folder no row names, and the folder of an unknown run, go', () => {
      mkdirSync(join(home, 'runs', id, 'model'), { recursive: true });
      writeFileSync(join(home, 'runs', id, 'model', 'model.json'), 'never committed');
      mkdirSync(join(home, 'runs', 'deleted-run', 'model'), { recursive: true });
      writeFileSync(join(home, 'runs', 'deleted-run', 'model', 'weights.bin'), 'x');
      store.recoverInterrupted();
      expect(listFiles(join(home, 'runs'))).toEqual([]);
    });
  });
});
