/**
 * A --limit run reads only its own rows of Fashion-MNIST (the trainer's openDataset with
 * rowsOfRun) and trains bit for bit as on the whole dataset: same rows, same epochs, same weights,
 * same test score. Real files (Debian's, unpacked into the data folder as the catalog does).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../../src-main/engine/backend.js';
import { rowsOfRun, train } from '../../../src-main/engine/train.js';
import { ModelSpec } from '../../../src-main/shared/spec.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { featureSize } from '../../../src-main/shared/dataset.js';
import { locateIdxDataset, IDX_CATALOG, loadCatalogIdx } from '../../../src-main/data/catalog/idx-datasets.js';
import { readIdxRows } from '../../../src-main/data/formats/idx.js';
import { tempHome } from '../../helpers/home.js';
import { weightsOf } from './helpers.js';

const { home, cleanup } = tempHome();
afterAll(cleanup);
const haveFashion = locateIdxDataset(IDX_CATALOG[0], home) !== null;

describe.skipIf(!haveFashion)('a run that reads only its own rows', () => {
  beforeAll(async () => { await selectBackend('auto'); });

  it('has the same rows as the whole dataset, zeros elsewhere, and trains bit for bit alike', async () => {
    const preset = findPreset('book-relu')!;
    const spec = ModelSpec.parse({ ...preset.spec, training: { ...preset.spec.training, epochs: 2, seed: 4, probeSize: 32 } });
    const limit = 300;
    // The first load unpacks the .gz files into the data folder; the partial read needs them unpacked.
    const whole = loadCatalogIdx('fashion-mnist', home);
    const rows = rowsOfRun(spec, limit);
    const part = loadCatalogIdx('fashion-mnist', home, rows);
    expect(whole.partial).toBeUndefined();
    expect(part.partial).toBe(true);
    expect(part.train.count).toBe(whole.train.count);
    expect(part.train.y).toEqual(whole.train.y);
    expect(part.test!.y).toEqual(whole.test!.y);

    const size = featureSize(whole.featureShape);
    const used = new Set(Array.from(rows.train(whole.train.count)));
    expect(used.size).toBe(limit + limit / 4);
    // The used rows as in the whole dataset, every other row zero (compared byte for byte).
    const expected = new Uint8Array(whole.train.x.length);
    for (const r of used) expected.set(whole.train.x.subarray(r * size, (r + 1) * size), r * size);
    const bytes = (a: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number }) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(part.train.x).equals(bytes(expected))).toBe(true);
    const tested = rows.test(whole.test!.count);
    expect(tested).toBe(1000);
    const testExpected = new Uint8Array(whole.test!.x.length);
    testExpected.set(whole.test!.x.subarray(0, tested * size));
    expect(bytes(part.test!.x).equals(bytes(testExpected))).toBe(true);

    // The native rung's step (the trainer's for this model) and the tfjs one.
    for (const path of ['native', 'fast'] as const) {
      const a = await train(spec, whole, { limit, path });
      const b = await train(spec, part, { limit, path });
      expect(b.path).toBe(path);
      expect(b.epochs.map(({ seconds: _s, samplesPerSecond: _p, ...m }) => m)).toEqual(a.epochs.map(({ seconds: _s, samplesPerSecond: _p, ...m }) => m));
      expect(b.evaluation).toEqual(a.evaluation);
      expect(weightsOf(b.model)).toEqual(weightsOf(a.model));
      a.model.dispose();
      b.model.dispose();
    }
  });

  it('leaves a compressed, damaged or foreign file to the whole read', () => {
    const bad = join(home, 'bad-idx');
    // A labels file (rank 1), a truncated images file, a float file: none is read in part.
    const header = (type: number, dims: number[]) => {
      const b = Buffer.alloc(4 + 4 * dims.length);
      b[2] = type;
      b[3] = dims.length;
      dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
      return b;
    };
    const all = () => [0, 1];
    writeFileSync(bad, Buffer.concat([header(0x08, [4]), Buffer.alloc(4)]));
    expect(readIdxRows(bad, all)).toBeNull();
    writeFileSync(bad, Buffer.concat([header(0x08, [4, 2, 2]), Buffer.alloc(15)]));
    expect(readIdxRows(bad, all)).toBeNull();
    writeFileSync(bad, Buffer.concat([header(0x0d, [2, 2]), Buffer.alloc(16)]));
    expect(readIdxRows(bad, all)).toBeNull();
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]));
    expect(readIdxRows(bad, all)).toBeNull();
    // A row past the end is not read either.
    writeFileSync(bad, Buffer.concat([header(0x08, [2, 2]), Buffer.from([1, 2, 3, 4])]));
    expect(readIdxRows(bad, () => [2])).toBeNull();
    expect(Array.from(readIdxRows(bad, () => [1])!.data)).toEqual([0, 0, 3, 4]);
  });
});
