import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../src-main/shared/errors.js';
import { databasePath, newRunId, openDatabase } from '../../../src-main/store/db.js';
import { SCHEMA_VERSION } from '../../../src-main/store/migrations.js';
import { openStore } from '../../../src-main/store/runs.js';
import { SPEC, tempHome } from './helpers.js';

const hash = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('opening the database', () => {
  it('creates the folder and the file, and migrates an empty database to the current schema', () => {
    const home = tempHome();
    const file = databasePath(home);
    expect(file).toBe(join(home, 'layerlab.db'));
    const db = openDatabase(file);
    expect(existsSync(file)).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['artifacts', 'epochs', 'evaluations', 'lost_attempts', 'run_tags', 'runs']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('opens an up-to-date database again without migrating it twice', () => {
    const home = tempHome();
    const a = openStore(home);
    const id = a.createRun({ spec: SPEC, datasetId: 'd', seed: 1 });
    a.close();
    const b = openStore(home);
    expect(b.getRun(id)?.status).toBe('queued');
    b.close();
  });

  it('enforces the status CHECK and foreign keys in the schema itself', () => {
    const db = openDatabase(databasePath(tempHome()));
    expect(() => db.prepare("INSERT INTO runs (id, name, status, spec, dataset_id, seed, created_at) VALUES ('x', 'x', 'done', '{}', 'd', 1, 't')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO epochs (run_id, epoch, seconds) VALUES ('nope', 1, 1)").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('refuses a database made by a newer Layerlab with one line, and leaves it untouched', () => {
    const home = tempHome();
    openStore(home).close();
    const file = databasePath(home);
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 6}`);
    raw.close();
    const before = hash(file);
    let error: unknown;
    try { openStore(home); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toBe(`${file}: made by a newer Layerlab (schema ${SCHEMA_VERSION + 6}, this one knows ${SCHEMA_VERSION}): update Layerlab`);
    expect(message).not.toContain('\n');
    expect(hash(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 6);
    check.close();
  });
});

describe('run ids', () => {
  it('sort by creation time and differ within one millisecond', () => {
    const t = Date.UTC(2025, 0, 1);
    const ids = [newRunId(t), newRunId(t + 1), newRunId(t + 1000), newRunId(t + 86_400_000)];
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^[0-9a-z]{16}$/.test(id))).toBe(true);
    const same = new Set(Array.from({ length: 200 }, () => newRunId(t)));
    expect(same.size).toBe(200);
  });
});
