import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src-main/shared/errors.js';
import { messageIn } from '../../../src-renderer/src/lib/verdict-text.js';
import { translate } from '../../../src-renderer/src/i18n/translate.js';
import type { RunDetail } from '../../../src-main/shared/runs.js';
import { openStore, type RunStore } from '../../../src-main/store/runs.js';
import { EVALUATION, SPEC, epoch, listFiles, tempHome } from './helpers.js';

type Json = Record<string, unknown> & { run: Record<string, unknown>; artifacts: Record<string, unknown>[]; epochs: Record<string, unknown>[] };

/** The fields an import keeps as they were (id and notes change by design). */
function comparable(run: RunDetail): Omit<RunDetail, 'id' | 'notes' | 'artifacts'> & { artifacts: Omit<RunDetail['artifacts'][number], 'path'>[] } {
  const { id: _id, notes: _notes, artifacts, ...rest } = run;
  return { ...rest, artifacts: artifacts.map(({ path: _p, ...a }) => a) };
}

describe('exporting and importing a run', () => {
  let source: RunStore;
  let target: RunStore;
  let targetHome: string;
  let id: string;
  let file: string;

  beforeEach(() => {
    const home = tempHome();
    source = openStore(home);
    targetHome = tempHome();
    target = openStore(targetHome);
    id = source.createRun({ name: 'dense 512', group: 'g', experiment: 'e', spec: SPEC, datasetId: 'fashion-mnist', seed: 7, limit: 100, tags: ['book', 'ch2'], notes: 'notes' });
    source.markRunning(id, { backend: 'wasm', trainCount: 80, valCount: 20 });
    source.addEpoch(id, epoch(1));
    source.addEpoch(id, epoch(2, { valLoss: NaN, valAccuracy: NaN }));
    source.setEvaluation(id, EVALUATION);
    source.saveArtifact(id, 'model', [{ name: 'model.json', bytes: new TextEncoder().encode('{"a":1}') }, { name: 'weights.bin', bytes: new Uint8Array(256).map((_, i) => i) }]);
    source.finishRun(id, 'completed');
    file = source.exportRun(id, join(targetHome, '..', 'run.json')).path;
  });
  afterEach(() => { source.close(); target.close(); });

  it('round-trips every field, epoch, the evaluation and the artifact bytes under a new id', () => {
    const summary = target.importRun(file);
    expect(summary.id).not.toBe(id);
    const before = source.getRun(id)!;
    const after = target.getRun(summary.id)!;
    expect(comparable(after)).toEqual(comparable(before));
    expect(after.notes).toBe(`notes\n\nImported from run ${id}.`);
    expect(after.epochs[1].valLoss).toBeNaN();
    for (const a of after.artifacts) {
      expect(a.path.startsWith(`runs/${summary.id}/model/`)).toBe(true);
      const original = before.artifacts.find((b) => b.sha256 === a.sha256)!;
      expect(readFileSync(join(targetHome, a.path))).toEqual(readFileSync(join(source.home, original.path)));
    }
    // Importing twice is importing once: the run already here is answered, nothing is added.
    const again = target.importRun(file);
    expect(again.id).toBe(summary.id);
    expect(again.reused).toBe(true);
    expect(summary.reused).toBeUndefined();
    expect(target.listRuns()).toHaveLength(1);
    // Into the store it came from, the export is the run itself.
    const home = source.importRun(file);
    expect([home.id, home.reused]).toEqual([id, true]);
    expect(source.listRuns()).toHaveLength(1);
  });

  it('writes to <home>/exports by default and refuses an unfinished run', () => {
    const r = source.exportRun(id);
    expect(r.path).toBe(join(source.home, 'exports', `${id}.layerlab-run.json`));
    expect(readFileSync(r.path).byteLength).toBe(r.bytes);
    const queued = source.createRun({ spec: SPEC, datasetId: 'd', seed: 1 });
    expect(() => source.exportRun(queued)).toThrow(`run ${queued} is queued: export it once it has finished`);
    // Coded, so a page says it in the user's language (Korean here), the CLI's English unchanged.
    let refused: UserError | undefined;
    try { source.exportRun(queued); } catch (err) { refused = err as UserError; }
    expect(refused?.coded).toEqual({ code: 'run.exportUnfinished', params: { id: queued, status: 'queued' } });
    expect(messageIn(refused?.coded, refused!.message, (key, params) => translate('ko', key, params))).toBe(`실행 ${queued}은(는) 아직 끝나지 않았습니다(queued). 끝난 뒤에 내보내세요.`);
  });

  it('never replaces an existing file unless asked, and leaves it as it was', () => {
    const victim = join(targetHome, '..', 'victim.txt');
    writeFileSync(victim, 'precious');
    expect(() => source.exportRun(id, victim)).toThrow(`${victim}: already exists; choose another file, or replace it with --force`);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    // No temp file is left beside it either.
    expect(readdirSync(join(targetHome, '..')).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const r = source.exportRun(id, victim, { overwrite: true });
    expect(JSON.parse(readFileSync(victim, 'utf8')).run.id).toBe(id);
    expect(r.bytes).toBe(readFileSync(victim).byteLength);
  });

  it('refuses to export an artifact changed on disk', () => {
    writeFileSync(join(source.home, 'runs', id, 'model', 'weights.bin'), 'tampered');
    expect(() => source.exportRun(id, join(targetHome, '..', 'x.json'))).toThrow(/weights\.bin: does not match its recorded size and sha256/);
  });

  const tamper: [string, (j: Json) => void, RegExp][] = [
    ['a bad sha256', (j) => { j.artifacts[1].sha256 = '0'.repeat(64); }, /: artifacts\.1\.sha256: does not match the data/],
    ['changed artifact data', (j) => { j.artifacts[0].data = Buffer.from('{"a":2}').toString('base64'); }, /: artifacts\.0\.sha256: does not match/],
    ['a wrong byte count', (j) => { j.artifacts[0].bytes = 3; }, /: artifacts\.0\.bytes: says 3/],
    ['a missing field', (j) => { delete j.run.datasetId; }, /: run\.datasetId: /],
    ['a missing spec', (j) => { delete j.spec; }, /: spec: /],
    ['an invalid spec', (j) => { (j.spec as { layers: unknown[] }).layers = []; }, /: spec\.layers: /],
    ['a newer version', (j) => { j.version = 5; }, /: version: made by a newer Layerlab \(format 5, this one reads 4\): update Layerlab$/],
    ['a wrong version', (j) => { j.version = 0; }, /: version: /],
    ['another format', (j) => { j.format = 'something'; }, /: format: expected 'layerlab-run'/],
    ['an extra field', (j) => { j.run.admin = true; }, /: run: /],
    ['an unfinished status', (j) => { j.run.status = 'running'; }, /: run\.status: must be a finished status/],
    ['a gap in the epochs', (j) => { j.epochs.splice(0, 1); }, /: epochs\.0\.epoch: expected epoch 1/],
    ['a path in a file name', (j) => { j.artifacts[0].name = '../../evil.json'; }, /: artifacts\.0\.name: /],
    ['an unsafe kind', (j) => { j.artifacts[0].kind = '..'; }, /: artifacts\.0\.kind: /],
    ['data that is not base64', (j) => { j.artifacts[0].data = '***'; }, /: artifacts\.0\.data: /],
  ];

  for (const [what, change, message] of tamper) {
    it(`an export with ${what} is refused with one line naming the file and field, and changes nothing`, () => {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Json;
      change(json);
      const bad = join(targetHome, '..', 'bad.json');
      writeFileSync(bad, JSON.stringify(json));
      const existing = target.importRun(file);
      const runsBefore = target.listRuns();
      const filesBefore = listFiles(targetHome).filter((f) => !f.startsWith('layerlab.db'));
      let error: unknown;
      try { target.importRun(bad); } catch (err) { error = err; }
      expect(error).toBeInstanceOf(UserError);
      const text = (error as Error).message;
      expect(text.startsWith(`${bad}: `)).toBe(true);
      expect(text).toMatch(message);
      expect(text).not.toContain('\n');
      expect(target.listRuns()).toEqual(runsBefore);
      expect(listFiles(targetHome).filter((f) => !f.startsWith('layerlab.db'))).toEqual(filesBefore);
      expect(target.getRun(existing.id)).not.toBeNull();
    });
  }

  it('refuses a file that is missing or not JSON', () => {
    const missing = join(targetHome, 'nope.json');
    expect(() => target.importRun(missing)).toThrow(new UserError(`${missing}: (file): cannot read it (ENOENT)`));
    const notJson = join(targetHome, '..', 'not.json');
    writeFileSync(notJson, '{"format": "layerlab-run",');
    expect(() => target.importRun(notJson)).toThrow(`${notJson}: (file): not JSON: not a Layerlab run export`);
    let refused: UserError | undefined;
    try { target.importRun(notJson); } catch (err) { refused = err as UserError; }
    expect(refused?.coded?.code).toBe('runFile.notJson');
    expect(messageIn(refused?.coded, refused!.message, (key, params) => translate('ko', key, params))).toBe(`${notJson}: JSON이 아닙니다. Layerlab에서 내보낸 실행 파일이 아닙니다.`);
    expect(target.listRuns()).toEqual([]);
  });

  it('an import whose database write fails leaves no files behind', async () => {
    const { default: Database } = await import('better-sqlite3');
    const other = new Database(join(targetHome, 'layerlab.db'));
    other.exec("CREATE TRIGGER fail BEFORE INSERT ON epochs BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect(() => target.importRun(file)).toThrow('disk full');
    other.close();
    expect(target.listRuns()).toEqual([]);
    expect(listFiles(targetHome).filter((f) => f.startsWith('runs/'))).toEqual([]);
  });
});

describe('exporting and importing a queue run that lost an attempt', () => {
  const A = { host: 'lab-1', pid: 11, name: 'lab-1:11', backend: 'native', device: 'CPU' };
  const B = { host: 'lab-2', pid: 22, name: 'lab-2:22', backend: 'wasm', device: 'CPU, WebAssembly' };
  let source: RunStore;
  let target: RunStore;
  let targetHome: string;
  let file: string;
  let id: string;

  beforeEach(() => {
    source = openStore(tempHome());
    targetHome = tempHome();
    target = openStore(targetHome);
    id = source.createRun({ name: 'retried', spec: SPEC, datasetId: 'fashion-mnist', seed: 1 });
    source.markRunning(id, { backend: 'native', trainCount: 48, valCount: 12, attempt: 1, worker: A });
    source.addEpoch(id, epoch(1, { valAccuracy: 0.1 }), 1);
    source.addEpoch(id, epoch(2, { valLoss: NaN, valAccuracy: NaN }), 1);
    source.markRunning(id, { backend: 'wasm', trainCount: 48, valCount: 12, attempt: 2, worker: B, lostWhy: 'worker lab-1:11 stalled' });
    source.addEpoch(id, epoch(1, { valAccuracy: 0.7 }), 2);
    source.finishRun(id, 'completed');
    file = source.exportRun(id, join(targetHome, '..', 'retried.json')).path;
  });
  afterEach(() => { source.close(); target.close(); });

  it('keeps the lost attempt apart through the round trip (version 4), and importing twice adds nothing', () => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Json & { lostAttempts: { attempt: number; epochs: unknown[] }[] };
    expect(json.version).toBe(4);
    expect(json.lostAttempts.map((a) => [a.attempt, a.epochs.length])).toEqual([[1, 2]]);
    const imported = target.importRun(file);
    const before = source.getRun(id)!;
    const after = target.getRun(imported.id)!;
    expect(after.lostAttempts).toEqual(before.lostAttempts);
    expect(after.lostAttempts![0]).toMatchObject({ attempt: 1, worker: A, backend: 'native', why: 'worker lab-1:11 stalled' });
    expect(Number.isNaN(after.lostAttempts![0].epochs[1].valAccuracy)).toBe(true);
    // The run's own epochs and scores are attempt 2's alone, as at home.
    expect(after).toMatchObject({ attempt: 2, worker: B, epochsDone: 1, valAccuracy: 0.7 });
    expect(after.epochs.map((e) => e.valAccuracy)).toEqual([0.7]);
    expect(target.importRun(file)).toMatchObject({ id: imported.id, reused: true });
    expect(target.listRuns()).toHaveLength(1);
    expect(target.getRun(imported.id)!.lostAttempts).toHaveLength(1);
  });

  it('refuses a lost attempt numbered at or after the run\'s own, naming the field, and adds nothing', () => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Json & { lostAttempts: { attempt: number }[] };
    json.lostAttempts[0].attempt = 2;
    const bad = join(targetHome, '..', 'bad-attempt.json');
    writeFileSync(bad, JSON.stringify(json));
    expect(() => target.importRun(bad)).toThrow(`${bad}: lostAttempts.0.attempt: attempt 2 must come after 0 and before the run's own attempt 2`);
    expect(target.listRuns()).toEqual([]);
  });

  it('a run that lost nothing is still written as version 3, without the field', () => {
    const plain = source.createRun({ name: 'plain', spec: SPEC, datasetId: 'fashion-mnist', seed: 2 });
    source.markRunning(plain, { backend: 'wasm', trainCount: 48, valCount: 12 });
    source.addEpoch(plain, epoch(1));
    source.finishRun(plain, 'completed');
    const json = JSON.parse(readFileSync(source.exportRun(plain, join(targetHome, '..', 'plain.json')).path, 'utf8')) as Record<string, unknown>;
    expect(json.version).toBe(3);
    expect('lostAttempts' in json).toBe(false);
  });
});
