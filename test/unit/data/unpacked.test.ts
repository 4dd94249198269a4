import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unpackedReader } from '../../../src-main/data/catalog/unpacked.js';
import { readIdx } from '../../../src-main/data/formats/idx.js';

const GZ = '/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz';

describe('catalog files unpacked once into the data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-unpacked-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'src', 'labels.gz');
  const cache = join(dir, 'cache');

  it('keeps the unpacked bytes on the first read and reads them back after', () => {
    rmSync(join(dir, 'src'), { recursive: true, force: true });
    mkdirSync(join(dir, 'src'));
    copyFileSync(GZ, src);
    const read = unpackedReader(cache);
    const first = read(src);
    expect(Buffer.from(first).equals(gunzipSync(readFileSync(src)))).toBe(true);
    const kept = readdirSync(cache);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^labels\.\d+-\d+$/);
    // The next read takes the kept copy (marked here so the test can tell), not the .gz.
    const marked = Buffer.from(first);
    marked[8] = 9;
    writeFileSync(join(cache, kept[0]), marked);
    expect(read(src)[8]).toBe(9);
    expect(readIdx(src, read).shape).toEqual([10000]);
  });

  it('unpacks again when the .gz changes, and drops the stale copy', () => {
    const before = readdirSync(cache);
    utimesSync(src, new Date(), new Date(Date.now() + 60_000));
    const read = unpackedReader(cache);
    expect(read(src)[8]).toBe(gunzipSync(readFileSync(src))[8]);
    const after = readdirSync(cache);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
  });
});
