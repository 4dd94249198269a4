import { describe, it, expect, beforeEach } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvFile } from '../../../src-main/data/formats/csv.js';
import { cacheDir, deleteDataset, listDatasets, loadDataset, readManifest, writeDatasetCache } from '../../../src-main/data/cache/index.js';
import { openDataset } from '../../../src-main/data/open.js';
import { DatasetError } from '../../../src-main/data/errors.js';
import type { ParsedDataset } from '../../../src-main/data/formats/types.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/csv');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const leftovers = (home: string) => (existsSync(join(home, 'datasets')) ? readdirSync(join(home, 'datasets')).filter((n) => n.startsWith('.tmp-')) : []);

/** A small dataset with a held-out test split, as the NPZ or IDX parsers return it. */
function withTest(): ParsedDataset {
  return {
    format: 'npz', featureShape: [2, 2], classNames: ['no', 'yes'], notes: ['made by hand'],
    train: { x: Float32Array.of(0.5, -1, 2, 3, 4, 5, 6, 7.25), y: Int32Array.of(1, 0), count: 2 },
    test: { x: Float32Array.of(9, 8, 7, 6), y: Int32Array.of(1), count: 1 },
  };
}

describe('dataset cache', () => {
  let home: string;
  beforeEach(() => { home = mkdtempSync(join(tmpdir(), 'layerlab-cache-')); });

  it('round-trips a parsed CSV: parse → cache → load gives the same data', async () => {
    const file = join(FIXTURES, 'iris.csv');
    const parsed = parseCsvFile(file);
    const m = await writeDatasetCache(home, parsed, { name: 'Iris (mine)', sourcePath: file, format: 'csv' });
    expect(m.id).toMatch(/^iris-mine-[0-9a-f]{6}$/);
    expect(m).toMatchObject({
      layerlabCache: 1, name: 'Iris (mine)', sourcePath: file, sourceSha256: sha256(file), format: 'csv', sampleCount: 30,
      featureShape: [4], dtype: 'float32', scale: 1, isImage: false, classNames: ['setosa', 'versicolor', 'virginica'],
      train: { count: 30, classCounts: [10, 10, 10] },
      split: { validation: 'from-train', test: 'none' },
      featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    });
    expect(Date.parse(m.createdAt)).toBeGreaterThan(0);
    const dir = join(cacheDir(home), m.id);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'train-x.bin', 'train-y.bin']);
    expect(readFileSync(join(dir, 'train-x.bin')).length).toBe(30 * 4 * 4);

    expect(listDatasets(home)).toEqual([m]);
    expect(readManifest(home, m.id)).toEqual(m);
    const d = loadDataset(home, m.id);
    expect(d).toMatchObject({ id: m.id, name: 'Iris (mine)', featureShape: [4], classNames: m.classNames, scale: 1 });
    expect(d.train.x).toEqual(parsed.train.x);
    expect(d.train.y).toEqual(parsed.train.y);
    expect(d.test).toBeUndefined();
    expect(openDataset(home, { kind: 'cache', id: m.id }).train.count).toBe(30);
  });

  it('keeps 8-bit pixels as uint8 with scale 1/255, and hashes the source itself when the parser did not', async () => {
    const file = join(FIXTURES, 'pixels-8x8.csv');
    const { sourceSha256: _, ...parsed } = parseCsvFile(file);
    const m = await writeDatasetCache(home, parsed, { name: 'pixels', sourcePath: file, format: 'csv' });
    expect(m).toMatchObject({ dtype: 'uint8', scale: 1 / 255, isImage: true, featureShape: [8, 8], sourceSha256: sha256(file) });
    const d = loadDataset(home, m.id);
    expect(d.train.x).toBeInstanceOf(Uint8Array);
    expect(d.train.x).toEqual(parsed.train.x);
  });

  it('writes and loads a test split', async () => {
    const parsed = withTest();
    const m = await writeDatasetCache(home, parsed, { name: 'tiny', sourcePath: '/nonexistent/tiny.npz', format: 'npz' });
    expect(m).toMatchObject({ sourceSha256: null, sampleCount: 3, test: { count: 1, classCounts: [0, 1] }, split: { test: 'source' } });
    const d = loadDataset(home, m.id);
    expect(d.train.x).toEqual(parsed.train.x);
    expect(d.test?.x).toEqual(parsed.test!.x);
    expect(d.test?.y).toEqual(parsed.test!.y);
  });

  it('a refused write (invalid data) leaves the list unchanged and no temp folder', async () => {
    const first = await writeDatasetCache(home, withTest(), { name: 'kept', sourcePath: 'x', format: 'npz' });
    const bad = withTest();
    bad.train.y[1] = 7;
    await expect(writeDatasetCache(home, bad, { name: 'bad', sourcePath: 'x', format: 'npz' })).rejects.toThrow(/label 7, outside 0..1/);
    const short = withTest();
    short.train.count = 3;
    await expect(writeDatasetCache(home, short, { name: 'bad', sourcePath: 'x', format: 'npz' })).rejects.toBeInstanceOf(DatasetError);
    expect(listDatasets(home).map((m) => m.id)).toEqual([first.id]);
    expect(leftovers(home)).toEqual([]);
  });

  it('a write failing after its files are written removes the temp folder', async () => {
    mkdirSync(join(home, 'datasets'), { recursive: true });
    writeFileSync(cacheDir(home), 'not a folder'); // The final rename cannot happen.
    await expect(writeDatasetCache(home, withTest(), { name: 'doomed', sourcePath: 'x', format: 'npz' })).rejects.toThrow();
    expect(leftovers(home)).toEqual([]);
    expect(listDatasets(home)).toEqual([]);
  });

  it('ignores temp folders and folders without a valid manifest; loading a damaged one names it', async () => {
    const m = await writeDatasetCache(home, withTest(), { name: 'good', sourcePath: 'x', format: 'npz' });
    mkdirSync(join(home, 'datasets', '.tmp-abc123'), { recursive: true });
    mkdirSync(join(cacheDir(home), '.tmp-zzz'), { recursive: true });
    mkdirSync(join(cacheDir(home), 'no-manifest'));
    mkdirSync(join(cacheDir(home), 'bad-json'));
    writeFileSync(join(cacheDir(home), 'bad-json', 'manifest.json'), '{"id": "bad-json"');
    mkdirSync(join(cacheDir(home), 'wrong-fields'));
    writeFileSync(join(cacheDir(home), 'wrong-fields', 'manifest.json'), JSON.stringify({ ...m, id: 'wrong-fields', featureShape: 'big' }));
    expect(listDatasets(home).map((x) => x.id)).toEqual([m.id]);

    expect(() => readManifest(home, 'bad-json')).toThrow(DatasetError);
    expect(() => readManifest(home, 'wrong-fields')).toThrow(/wrong-fields is damaged: manifest.json field 'featureShape'/);
    expect(() => loadDataset(home, 'no-manifest')).toThrow(/no-manifest is damaged: manifest.json is missing/);
    truncateSync(join(cacheDir(home), m.id, 'train-x.bin'), 5);
    expect(() => loadDataset(home, m.id)).toThrow(/train-x.bin is damaged: 5 bytes, expected 32/);
  });

  it('deletes, and never treats an id as a path', async () => {
    const m = await writeDatasetCache(home, withTest(), { name: 'gone', sourcePath: 'x', format: 'npz' });
    deleteDataset(home, m.id);
    expect(readManifest(home, m.id)).toBeNull();
    expect(listDatasets(home)).toEqual([]);
    expect(() => loadDataset(home, m.id)).toThrow(/no imported dataset/);
    expect(() => deleteDataset(home, m.id)).toThrow(DatasetError);
    expect(readManifest(home, '../../etc')).toBeNull();
    expect(() => deleteDataset(home, '..')).toThrow(/not a dataset id/);
  });
});
