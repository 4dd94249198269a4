/**
 * `layerlab train` end to end: the built CLI, a real trainer process, real TensorFlow.js (wasm here),
 * real Fashion-MNIST from /usr/share/datasets/fashion-mnist, a real SQLite history.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FASHION = '/usr/share/datasets/fashion-mnist';

describe('layerlab train on Fashion-MNIST', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  let first: ReturnType<typeof jsonLines>;

  beforeAll(() => {
    const r = layerlab(['train', '--preset', 'book-relu', '--epochs', '2', '--limit', '3000', '--seed', '1', '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    first = jsonLines(r.stdout);
  });

  it('prints one epoch line per epoch and a result, learning well above chance', () => {
    const epochs = first.filter((l) => l.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of epochs) for (const k of ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'seconds']) expect(Number.isFinite(e[k])).toBe(true);
    const result = first.find((l) => l.type === 'result')!;
    expect(result.backend).toMatch(/^(tensorflow|native|wasm|cpu)$/);
    expect(result.epochs).toBe(2);
    // Ten classes: chance is 0.1. 3,000 samples and two epochs reach ~0.75.
    expect(result.valAccuracy as number).toBeGreaterThan(0.6);
    expect(result.trainAccuracy as number).toBeGreaterThan(0.5);
    expect(result.samplesPerSecond as number).toBeGreaterThan(0);
  });

  it('prints the same numbers for the same seed, and others for another seed', () => {
    const again = jsonLines(layerlab(['train', '--preset', 'book-relu', '--epochs', '2', '--limit', '3000', '--seed', '1', '--json'], home).stdout);
    const pick = (lines: typeof first) => lines.filter((l) => l.type === 'epoch').map((l) => [l.loss, l.accuracy, l.valLoss, l.valAccuracy]);
    expect(pick(again)).toEqual(pick(first));
    const other = jsonLines(layerlab(['train', '--preset', 'book-relu', '--epochs', '2', '--limit', '3000', '--seed', '2', '--json'], home).stdout);
    expect(pick(other)).not.toEqual(pick(first));
  });

  it('names the engine that ran; --backend native and --backend wasm land on the same numbers', () => {
    const run = (backend: string) => jsonLines(layerlab(['train', '--preset', 'book-relu', '--epochs', '2', '--limit', '3000', '--seed', '1', '--json', '--backend', backend], home).stdout);
    const native = run('native');
    const wasm = run('wasm');
    const start = native.find((l) => l.type === 'start')!;
    expect(start.backend).toBe('native');
    expect(start.device).toMatch(/^CPU, native code \((AVX-512|AVX2 \+ FMA|SSE2|portable C)\), 1 thread; tfjs wasm for the rest$/);
    expect(native.find((l) => l.type === 'result')!.backend).toBe('native');
    expect(wasm.find((l) => l.type === 'start')!.backend).toBe('wasm');
    // Same seed, same batches and masks: two engines, the same run up to float32 rounding.
    const epochs = (lines: typeof first) => lines.filter((l) => l.type === 'epoch');
    epochs(native).forEach((e, i) => {
      const w = epochs(wasm)[i];
      expect(Math.abs((e.loss as number) - (w.loss as number))).toBeLessThan(1e-3);
      expect(Math.abs((e.valAccuracy as number) - (w.valAccuracy as number))).toBeLessThanOrEqual(0.005);
    });
  });

  it('keeps every run in the history', () => {
    const r = layerlab(['runs', 'list', '--json'], home);
    const runs = JSON.parse(r.stdout) as Array<{ status: string; epochsDone: number }>;
    expect(runs.length).toBe(5);
    expect(runs.every((x) => x.status === 'completed' && x.epochsDone === 2)).toBe(true);
  });
});

describe('layerlab train refuses a user\'s mistakes in one line, exit 2', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown preset', ['--preset', 'book-nope'], /unknown preset 'book-nope': choose one of book-sigmoid/],
    ['a bad spec field', ['--epochs', '0'], /--epochs: '0' is not a whole number of at least 1/],
    ['an unknown optimizer', ['--optimizer', 'adamw'], /--optimizer: unknown optimizer 'adamw'/],
    ['a missing dataset folder', ['--dataset', './no/such/folder'], /--dataset .*no such folder/],
    ['an unknown dataset id', ['--dataset', 'cifar-99'], /no dataset with id cifar-99/],
    ['an unknown flag', ['--epoch', '3'], /train: Unknown option '--epoch'/],
  ];
  for (const [what, args, message] of cases) {
    it(`for ${what}`, () => {
      const r = layerlab(['train', ...args], home);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('layerlab train on a damaged IDX folder', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('is imported first, so the damaged file is named in one line, exit 2, before any run is made', () => {
    const folder = join(home, 'fmnist-damaged');
    mkdirSync(folder);
    for (const f of readdirSync(FASHION)) copyFileSync(join(FASHION, f), join(folder, f));
    // The training images cut to their first megabyte: the gzip stream ends early.
    const whole = readFileSync(join(FASHION, 'train-images-idx3-ubyte.gz'));
    writeFileSync(join(folder, 'train-images-idx3-ubyte.gz'), whole.subarray(0, 1_000_000));
    const r = layerlab(['train', '--dataset', folder, '--epochs', '1', '--limit', '100'], home);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${join(folder, 'train-images-idx3-ubyte.gz')}: is not a valid gzip file`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The folder went through the importer (the one process that parses a user's files) and was
    // refused there: no run, no dataset.
    expect(JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout)).toEqual([]);
    const datasets = JSON.parse(layerlab(['datasets', 'list', '--json'], home).stdout) as Array<{ kind: string }>;
    expect(datasets.filter((d) => d.kind !== 'builtin')).toEqual([]);
  });

  it('trains on a good IDX folder by importing it first, and names it by the id it got', () => {
    const folder = join(home, 'fmnist-copy');
    mkdirSync(folder);
    for (const f of readdirSync(FASHION)) copyFileSync(join(FASHION, f), join(folder, f));
    const r = layerlab(['train', '--dataset', folder, '--epochs', '1', '--limit', '500'], home);
    expect(r.code).toBe(0);
    const id = /imported .* as dataset (\S+)/.exec(r.stderr)?.[1];
    expect(id).toMatch(/^fmnist-copy-[0-9a-f]{6}$/);
    const runs = JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout) as Array<{ datasetId: string; status: string }>;
    expect(runs).toEqual([expect.objectContaining({ datasetId: id, status: 'completed' })]);
  });
});
