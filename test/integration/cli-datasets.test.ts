/**
 * `layerlab datasets import` and `layerlab train --dataset ID` end to end: the built CLI, the
 * importer process, the on-disk cache, a real trainer. Good files of every format become datasets
 * a model trains on; bad and hostile files are refused in one line that names the file, with exit
 * status 2, in seconds, and leave the catalog and the data folder as they were.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';

const FIX = resolve(import.meta.dirname, '..', 'fixtures');

interface DatasetRow { id: string; name: string; featureShape: number[]; classNames: string[]; trainCount: number; testCount: number; available: boolean; featureNames?: string[] }

/** Everything in the dataset cache folder, half-written entries included. */
function cacheEntries(home: string): string[] {
  const dir = join(home, 'datasets', 'cache');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

function list(home: string): DatasetRow[] {
  const r = layerlab(['datasets', 'list', '--json'], home);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as DatasetRow[];
}

describe('layerlab datasets import, then train on it', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const spec = join(home, 'iris-spec.json');

  beforeAll(() => {
    writeFileSync(spec, JSON.stringify({
      inputShape: [4],
      layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }],
      optimizer: { type: 'adam', learningRate: 0.01 },
      training: { epochs: 20, batchSize: 8, validationSplit: 0.2, seed: 1 },
    }));
  });

  const cases: Array<[string, string[], Partial<DatasetRow>]> = [
    ['a CSV with a header and word labels', [join(FIX, 'csv', 'iris.csv')], { featureShape: [4], classNames: ['setosa', 'versicolor', 'virginica'], trainCount: 30, featureNames: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] }],
    ['an NPZ with train and test arrays', [join(FIX, 'npy', 'mnist.npz')], { featureShape: [6, 6], trainCount: 8, testCount: 4 }],
    ['a folder of class folders of images', [join(FIX, 'images', 'gray')], { featureShape: [6, 8], classNames: ['circle', 'square'], trainCount: 6 }],
    ['a pair of .npy files', [join(FIX, 'npy', 'x_f4.npy'), '--labels', join(FIX, 'npy', 'y_i8.npy')], {}],
  ];
  for (const [what, args, expected] of cases) {
    it(`imports ${what} and lists it with its shape and classes`, () => {
      const before = list(home).length;
      const r = layerlab(['datasets', 'import', ...args, '--json'], home);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const d = JSON.parse(r.stdout) as DatasetRow;
      expect(d).toMatchObject({ available: true, ...expected });
      const after = list(home);
      expect(after).toHaveLength(before + 1);
      expect(after.find((x) => x.id === d.id)).toMatchObject(expected);
    });
  }

  it('trains a model on an imported CSV by its id, and keeps the run', () => {
    const iris = list(home).find((d) => d.name === 'iris')!;
    const r = layerlab(['train', '--model', spec, '--dataset', iris.id, '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const epochs = lines.filter((l) => l.type === 'epoch');
    expect(epochs).toHaveLength(20);
    // 30 rows, validation split 0.2: 24 / 6, and no test split to score.
    expect(lines.find((l) => l.type === 'start')).toMatchObject({ trainCount: 24, valCount: 6 });
    const result = lines.find((l) => l.type === 'result')!;
    expect(result.status).toBe('completed');
    expect(result.testAccuracy).toBeNull();
    // The fixture's features are noise, so there is nothing to generalise; Adam at 0.01 still fits
    // the 24 training rows better and better.
    expect(epochs[19].loss as number).toBeLessThan(epochs[0].loss as number);
    const runs = JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout) as Array<{ datasetId: string; status: string }>;
    expect(runs.some((x) => x.datasetId === iris.id && x.status === 'completed')).toBe(true);
  });

  it('trains on imported images with the shape they were imported at', () => {
    const gray = list(home).find((d) => d.name === 'gray')!;
    const imageSpec = join(home, 'gray-spec.json');
    writeFileSync(imageSpec, JSON.stringify({
      inputShape: [6, 8],
      layers: [{ type: 'flatten' }, { type: 'dense', units: 2, activation: 'softmax' }],
      training: { epochs: 2, batchSize: 2, validationSplit: 0.34, seed: 3 },
    }));
    const r = layerlab(['train', '--model', imageSpec, '--dataset', gray.id, '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).filter((l) => l.type === 'epoch')).toHaveLength(2);
  });

  it('fits a preset to the dataset: the book’s layers with the dataset’s input and classes', () => {
    const iris = list(home).find((d) => d.name === 'iris')!;
    const r = layerlab(['train', '--preset', 'book-relu', '--dataset', iris.id, '--epochs', '2'], home);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('book-relu fitted to iris: input 4, 3 output classes');
    const runs = JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout) as Array<{ id: string; datasetId: string; name: string }>;
    const run = runs.find((x) => x.datasetId === iris.id && x.name === 'book-relu')!;
    const detail = JSON.parse(layerlab(['runs', 'show', run.id, '--json'], home).stdout) as { spec: { inputShape: number[]; layers: Array<{ type: string; units?: number; activation?: string }> }; status: string };
    expect(detail.status).toBe('completed');
    expect(detail.spec.inputShape).toEqual([4]);
    expect(detail.spec.layers).toMatchObject([{ type: 'dense', units: 100, activation: 'relu' }, { type: 'dense', units: 3, activation: 'softmax' }]);
  });

  it('recognises a file imported before by its content, under any name or path, and reuses it', () => {
    const before = list(home);
    const iris = before.find((d) => d.name === 'iris')!;
    const copy = join(home, 'flowers copy.csv');
    copyFileSync(join(FIX, 'csv', 'iris.csv'), copy);
    const r = layerlab(['datasets', 'import', copy, '--name', 'flowers'], home);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`already imported as iris (${iris.id}); using it`);
    expect(list(home)).toEqual(before);
  });

  it('imports an exported run once: the second import answers the run already there', () => {
    const runs = JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout) as Array<{ id: string }>;
    const file = join(home, 'one-run.json');
    expect(layerlab(['runs', 'export', runs[0].id, '--out', file], home).code).toBe(0);
    const first = layerlab(['runs', 'import', file], home);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^already here as ${runs[0].id} `));
    const count = (JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout) as unknown[]).length;
    expect(count).toBe(runs.length);
  });

  it('refuses a model file whose input does not fit the dataset, naming both shapes', () => {
    const iris = list(home).find((d) => d.name === 'iris')!;
    const runsBefore = layerlab(['runs', 'list', '--json'], home).stdout;
    const r = layerlab(['train', '--model', join(home, 'gray-spec.json'), '--dataset', iris.id], home);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("the model's input shape [6, 8] (48 values) does not fit iris's samples [4] (4 values): set inputShape to [4]");
    // Refused before a run was made of it: the history is as it was.
    expect(layerlab(['runs', 'list', '--json'], home).stdout).toBe(runsBefore);
  });
});

describe('layerlab datasets import refuses bad and hostile files in one line, exit 2, changing nothing', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const work = join(home, 'inputs');

  beforeAll(() => {
    mkdirSync(work, { recursive: true });
    // An IDX pair whose header claims 2^31 images of 28×28: a size bomb for a naive reader.
    const header = Buffer.from([0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28]);
    // In a folder, as IDX is imported (a lone IDX file is refused before its header is read).
    mkdirSync(join(work, 'size-bomb'));
    for (const split of ['train', 't10k']) {
      writeFileSync(join(work, 'size-bomb', `${split}-images-idx3-ubyte`), Buffer.concat([header, Buffer.alloc(784)]));
      writeFileSync(join(work, 'size-bomb', `${split}-labels-idx1-ubyte`), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
    }
    // An IDX folder whose images .gz is cut short.
    const gz = gzipSync(Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28]), Buffer.alloc(7840, 7)]));
    mkdirSync(join(work, 'cut'));
    for (const split of ['train', 't10k']) {
      writeFileSync(join(work, 'cut', `${split}-images-idx3-ubyte.gz`), gz.subarray(0, gz.length >> 1));
      writeFileSync(join(work, 'cut', `${split}-labels-idx1-ubyte.gz`), gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 10, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])));
    }
    // An .npy whose header claims a huge shape.
    const npyHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000, 100000), }";
    const padded = npyHeader.padEnd(118, ' ') + '\n';
    writeFileSync(join(work, 'huge.npy'), Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, padded.length, 0]), Buffer.from(padded), Buffer.alloc(64)]));
    // Random bytes with a .csv name, and a binary blob with an .npz name.
    writeFileSync(join(work, 'noise.csv'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    writeFileSync(join(work, 'noise.npz'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 104729) % 256)));
    copyFileSync(join(FIX, 'csv', 'error-ragged.csv'), join(work, 'ragged.csv'));
    // Not files: a named pipe with no writer (a plain open would wait forever), a folder named .npy.
    execFileSync('mkfifo', [join(work, 'pipe.csv')]);
    mkdirSync(join(work, 'folder.npy'));
    // A NUL byte in a CSV header; a header of 10^6 columns.
    writeFileSync(join(work, 'nul.csv'), 'a,b\0c,label\n1,2,3\n4,5,6\n');
    writeFileSync(join(work, 'wide.csv'), `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n`);
    // An IDX folder whose gzipped images declare 10 images and inflate to 1 GiB of zeros.
    const bombDir = join(work, 'gzip-bomb');
    mkdirSync(bombDir);
    const zeros = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    const idxHead = (dims: number[]) => Buffer.from([0, 0, 8, dims.length, ...dims.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])]);
    writeFileSync(join(bombDir, 'train-images-idx3-ubyte.gz'), Buffer.concat([gzipSync(idxHead([10, 28, 28])), ...Array.from({ length: 16 }, () => zeros)]));
    writeFileSync(join(bombDir, 'train-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([idxHead([10]), Buffer.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])])));
    for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) copyFileSync(join(bombDir, f.replace('t10k', 'train')), join(bombDir, f));
  });

  const cases: Array<[string, () => string[], RegExp]> = [
    ['a CSV with a short line', () => [join(work, 'ragged.csv')], /ragged\.csv: line 17: 4 fields, expected 5/],
    ['a CSV with a word among the numbers', () => [join(FIX, 'csv', 'error-not-a-number.csv')], /error-not-a-number\.csv: line 5, column 'petal_width': 'abc' is not a number/],
    ['a CSV of one class', () => [join(FIX, 'csv', 'error-one-class.csv')], /error-one-class\.csv: has only one class/],
    ['random bytes named .csv', () => [join(work, 'noise.csv')], /noise\.csv: /],
    ['random bytes named .npz', () => [join(work, 'noise.npz')], /noise\.npz: /],
    ['an IDX header claiming 2^31 images', () => [join(work, 'size-bomb')], /size-bomb\/train-images-idx3-ubyte: declares \d+ elements, more than can be loaded/],
    ['a gzip cut short', () => [join(work, 'cut')], /cut\/train-images-idx3-ubyte\.gz: is not a valid gzip file \(unexpected end of file\)/],
    ['an .npy header claiming 10^13 values', () => [join(work, 'huge.npy'), '--labels', join(FIX, 'npy', 'y_i8.npy')], /huge\.npy: /],
    ['a pickled object array', () => [join(FIX, 'npy', 'object.npy'), '--labels', join(FIX, 'npy', 'y_i8.npy')], /object\.npy: holds Python objects .* never unpickles/],
    ['an image folder with a text file in a class', () => [join(FIX, 'images', 'bad')], /notes\.txt: not an image/],
    ['a path that does not exist', () => [join(work, 'nope.csv')], /nope\.csv: does not exist; check the path/],
    ['/dev/urandom as an .npy', () => ['/dev/urandom', '--format', 'npy', '--labels', '/dev/urandom'], /^layerlab: \/dev\/urandom: is a device, not a file/],
    ['a named pipe', () => [join(work, 'pipe.csv')], /pipe\.csv: is a named pipe \(FIFO\), not a file/],
    ['a folder given as an .npy file', () => [join(work, 'folder.npy'), '--format', 'npy', '--labels', join(FIX, 'npy', 'y_i8.npy')], /folder\.npy: is a folder, not a file/],
    ['a NUL byte in a CSV header', () => [join(work, 'nul.csv')], /nul\.csv: line 1, column 2: holds a NUL byte/],
    ['a CSV header of 10^6 columns', () => [join(work, 'wide.csv')], /wide\.csv: line 1: has more than 262144 columns \(at least \d+\)/],
    ['a gzip bomb in an IDX folder', () => [join(work, 'gzip-bomb')], /train-images-idx3-ubyte\.gz: decompresses to more than the 7856 bytes its header declares/],
  ];
  for (const [what, args, message] of cases) {
    it(`for ${what}`, () => {
      const before = list(home);
      const cacheBefore = cacheEntries(home);
      // The 30 s limit is a hang guard, not a speed measurement: a reader that believed a header's
      // sizes would allocate or loop far past it and be killed (code null), failing the test.
      const r = layerlab(['datasets', 'import', ...args()], home, 30_000);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
      expect(list(home)).toEqual(before);
      expect(cacheEntries(home)).toEqual(cacheBefore);
    });
  }
});
