import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseIdx, readIdxPair } from '../../../src-main/data/formats/idx.js';
import { ImportError } from '../../../src-main/data/errors.js';

/** An IDX file the way the MNIST tools write it: big-endian dims, then the bytes. */
function idx(type: number, dims: number[], data: Uint8Array): Uint8Array {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

describe('IDX', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'idx-')); });

  it('reads uint8 images, raw and gzipped, with their shape', () => {
    const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
    const file = idx(0x08, [2, 3, 4], pixels);
    for (const bytes of [file, gzipSync(file)]) {
      const r = parseIdx('x.idx', bytes);
      expect(r.shape).toEqual([2, 3, 4]);
      expect(r.data).toBeInstanceOf(Uint8Array);
      expect(Array.from(r.data)).toEqual(Array.from(pixels));
    }
  });

  it('converts big-endian float32 data', () => {
    const body = Buffer.alloc(8);
    body.writeFloatBE(1.5, 0);
    body.writeFloatBE(-2.25, 4);
    const r = parseIdx('f.idx', idx(0x0d, [2], body));
    expect(Array.from(r.data)).toEqual([1.5, -2.25]);
  });

  it('refuses a wrong magic number, a truncated file and trailing bytes, naming the file', () => {
    const good = idx(0x08, [2, 2], new Uint8Array(4));
    const wrongMagic = Uint8Array.from(good); wrongMagic[0] = 0x1;
    expect(() => parseIdx('bad.idx', wrongMagic)).toThrow(/bad\.idx: is not an IDX file \(wrong magic number/);
    expect(() => parseIdx('short.idx', good.subarray(0, good.length - 1))).toThrow(/short\.idx: is truncated: the header \[2×2\] uint8 needs 16 bytes, the file has 15/);
    expect(() => parseIdx('long.idx', Buffer.concat([good, Buffer.from([0])]))).toThrow(/longer than its header says/);
    expect(() => parseIdx('type.idx', idx(0x07, [1], new Uint8Array(1)))).toThrow(/unknown IDX data type 0x07/);
    expect(() => parseIdx('tiny.idx', new Uint8Array([0, 0]))).toThrow(ImportError);
  });

  it('refuses a header that declares more than can be loaded, without allocating it', () => {
    expect(() => parseIdx('huge.idx', idx(0x08, [60000, 60000, 60000], new Uint8Array(8)))).toThrow(/more than can be loaded/);
  });

  it('refuses images and labels that do not pair up', () => {
    const images = join(dir, 'images');
    const labels = join(dir, 'labels');
    writeFileSync(images, idx(0x08, [3, 2, 2], new Uint8Array(12)));
    writeFileSync(labels, idx(0x08, [2], Uint8Array.from([0, 1])));
    expect(() => readIdxPair(images, labels)).toThrow(/has 2 labels but .* has 3 images/);
    writeFileSync(labels, idx(0x08, [3], Uint8Array.from([0, 1, 2])));
    const pair = readIdxPair(images, labels);
    expect(pair.count).toBe(3);
    expect(pair.featureShape).toEqual([2, 2]);
    expect(Array.from(pair.y)).toEqual([0, 1, 2]);
  });

  it('refuses a corrupt gzip stream with the file name', () => {
    const gz = gzipSync(idx(0x08, [4], new Uint8Array(4)));
    gz[gz.length - 6] ^= 0xff;
    expect(() => parseIdx('corrupt.gz', gz)).toThrow(/corrupt\.gz: is not a valid gzip file/);
  });
});
