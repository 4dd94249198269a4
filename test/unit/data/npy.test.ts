import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseNpy, parseNpyPair, readNpy, toSplit } from '../../../src-main/data/formats/npy.js';
import { ImportError } from '../../../src-main/data/errors.js';
import { messageText } from '../../../src-main/shared/messages.js';

const dir = join(import.meta.dirname, '../../fixtures/npy');
const at = (name: string): string => join(dir, name);
interface Described { shape: number[]; sum: number; first: number; last: number; at7: number }
const expected = JSON.parse(readFileSync(at('expected.json'), 'utf8')) as {
  x_f4: Described; x_u1: Described; y_i8: number[]; ints: number[];
};

/** An .npy file with a header we choose, padded as numpy pads it. */
function npy(header: string, data: Uint8Array = new Uint8Array(0), major = 1): Uint8Array {
  const lenSize = major === 1 ? 2 : 4;
  const text = Buffer.from(header + ' '.repeat(64 - ((8 + lenSize + header.length + 1) % 64)) + '\n', 'latin1');
  const pre = Buffer.alloc(8 + lenSize);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]).copy(pre);
  if (major === 1) pre.writeUInt16LE(text.length, 8); else pre.writeUInt32LE(text.length, 8);
  return Buffer.concat([pre, text, data]);
}

/** Asserts an ImportError naming the file (speed is the bench's business, not a test's). */
function refuses(fn: () => unknown, file: string, message: RegExp): void {
  let caught: unknown;
  try { fn(); } catch (err) { caught = err; }
  expect(caught).toBeInstanceOf(ImportError);
  expect((caught as ImportError).file).toBe(file);
  expect((caught as Error).message).toMatch(message);
  // Coded (so a page says it in the user's language): the same English from the code and its parameters.
  const coded = (caught as ImportError).coded;
  if (coded) expect(messageText(coded)).toBe((caught as Error).message);
}

/** The same for a reader that answers with a promise. */
async function rejects(fn: () => Promise<unknown>, file: string, message: RegExp): Promise<void> {
  let caught: unknown;
  try { await fn(); } catch (err) { caught = err; }
  expect(caught).toBeInstanceOf(ImportError);
  expect((caught as ImportError).file).toBe(file);
  expect((caught as Error).message).toMatch(message);
  // Coded (so a page says it in the user's language): the same English from the code and its parameters.
  const coded = (caught as ImportError).coded;
  if (coded) expect(messageText(coded)).toBe((caught as Error).message);
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

describe('npy: arrays numpy wrote', () => {
  it('reads float32 little-endian, big-endian and float64 to the same values numpy has', async () => {
    for (const f of ['x_f4.npy', 'x_be_f4.npy', 'x_be_f8.npy']) {
      const a = await readNpy(at(f));
      const e = expected.x_f4;
      expect(a.shape).toEqual(e.shape);
      expect(a.data).toBeInstanceOf(Float32Array);
      expect(a.data[0]).toBeCloseTo(e.first, 6);
      expect(a.data[7]).toBeCloseTo(e.at7, 6);
      expect(a.data[a.data.length - 1]).toBeCloseTo(e.last, 6);
      expect(sum(a.data)).toBeCloseTo(e.sum, 4);
    }
  });

  it('keeps uint8 as Uint8Array with the exact sum', async () => {
    const a = await readNpy(at('x_u1.npy'));
    expect(a.data).toBeInstanceOf(Uint8Array);
    expect(a.shape).toEqual(expected.x_u1.shape);
    expect(sum(a.data)).toBe(expected.x_u1.sum);
    expect(a.data[7]).toBe(expected.x_u1.at7);
  });

  it('converts every integer dtype and byte order', async () => {
    for (const f of ['ints_i1.npy', 'ints_u2.npy', 'ints_bei2.npy', 'ints_lei4.npy', 'ints_beu4.npy', 'ints_lei8.npy', 'ints_bei8.npy']) {
      expect(Array.from((await readNpy(at(f))).data), f).toEqual(expected.ints);
    }
  });

  it('converts int64 beyond 2^53 with a note', async () => {
    const a = await readNpy(at('big_i8.npy'));
    expect(a.data[1]).toBeCloseTo(2 ** 60, -50);
    expect(a.notes.join()).toMatch(/2 int64 values beyond ±2\^53 were rounded/);
  });

  it('reads a gzipped .npy and a version 2.0 header', () => {
    const raw = readFileSync(at('x_u1.npy'));
    expect(sum(parseNpy({ file: 'x.npy.gz' }, gzipSync(raw)).data)).toBe(expected.x_u1.sum);
    const v2 = parseNpy({ file: 'v2.npy' }, npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", Buffer.from([1, 0, 255, 255]), 2));
    expect(Array.from(v2.data)).toEqual([1, -1]);
  });

  it('accepts the L suffix Python 2 numpy wrote into shapes, and keys in any order', () => {
    const a = parseNpy({ file: 'old.npy' }, npy("{'shape': (2L, 1L), 'fortran_order': False, 'descr': '|u1'}", Buffer.from([3, 4])));
    expect(a.shape).toEqual([2, 1]);
  });
});

describe('npy: pairs', () => {
  it('pairs features with int64 labels', async () => {
    const d = await parseNpyPair(at('x_f4.npy'), at('y_i8.npy'));
    expect(d.format).toBe('npy');
    expect(d.featureShape).toEqual([4]);
    expect(d.classNames).toEqual(['0', '1', '2']);
    expect(Array.from(d.train.y)).toEqual(expected.y_i8);
    expect(d.train.count).toBe(6);
    expect(d.isImage).toBe(false);
  });

  it('converts one-hot labels and (n, 1) labels, and marks uint8 images', async () => {
    const d = await parseNpyPair(at('x_f4.npy'), at('y_onehot.npy'));
    expect(Array.from(d.train.y)).toEqual(expected.y_i8);
    expect(d.notes.join()).toMatch(/one-hot labels \(6×3\) converted/);
    const img = await parseNpyPair(at('x_u1.npy'), at('y_col_u1.npy'));
    expect(Array.from(img.train.y)).toEqual([1, 0, 1, 1, 0]);
    expect(img.isImage).toBe(true);
    expect(img.featureShape).toEqual([4, 3]);
  });

  it('refuses labels that are not class indices, and a count mismatch, naming the labels file', async () => {
    await rejects(() => parseNpyPair(at('x_f4.npy'), at('y_bad_f4.npy')), at('y_bad_f4.npy'), /label 1 is 1\.5; labels must be whole numbers/);
    await rejects(() => parseNpyPair(at('x_f4.npy'), at('y_neg_i2.npy')), at('y_neg_i2.npy'), /label 1 is -1/);
    await rejects(() => parseNpyPair(at('x_u1.npy'), at('y_i8.npy')), at('y_i8.npy'), /has 6 labels but .*x_u1\.npy has 5 samples/);
    await rejects(() => parseNpyPair(at('x_f4.npy'), at('nope.npy')), at('nope.npy'), /does not exist; check the path/);
  });
});

describe('npy: hostile and broken files', () => {
  it('refuses Fortran order, object (pickle) and structured dtypes with the fix', async () => {
    await rejects(() => readNpy(at('fortran.npy')), at('fortran.npy'), /Fortran order.*np\.ascontiguousarray/);
    await rejects(() => readNpy(at('object.npy')), at('object.npy'), /Python objects \(dtype 'O'\).*never unpickles/);
    await rejects(() => readNpy(at('record.npy')), at('record.npy'), /structured \(record\) dtype/);
  });

  it('refuses a header claiming a huge shape without allocating it', () => {
    const huge = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (60000, 60000, 60000), }");
    refuses(() => parseNpy({ file: 'huge.npy' }, huge), 'huge.npy', /more elements than can be loaded/);
    const big = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (400000000,), }");
    refuses(() => parseNpy({ file: 'big.npy' }, big), 'big.npy', /3200000000 bytes, more than the \d+-byte limit/);
    const short = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000), }", new Uint8Array(12));
    refuses(() => parseNpy({ file: 'short.npy' }, short), 'short.npy', /truncated: the header \(1000, 1000\) <f4 needs 4000000 data bytes, the file has 12/);
  });

  it('refuses truncation, trailing arrays, a huge header length and bad versions', () => {
    const good = readFileSync(at('x_f4.npy'));
    refuses(() => parseNpy({ file: 't.npy' }, good.subarray(0, good.length - 1)), 't.npy', /is truncated/);
    refuses(() => parseNpy({ file: 't.npy' }, good.subarray(0, 40)), 't.npy', /truncated inside its header/);
    refuses(() => parseNpy({ file: 'two.npy' }, Buffer.concat([good, good])), 'two.npy', /several arrays saved one after another/);
    const longHeader = Buffer.from(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4), 2));
    longHeader.writeUInt32LE(0xffffffff, 8);
    refuses(() => parseNpy({ file: 'h.npy' }, longHeader), 'h.npy', /declares a 4294967295-byte header/);
    const v4 = Buffer.from(good); v4[6] = 4;
    refuses(() => parseNpy({ file: 'v4.npy' }, v4), 'v4.npy', /format version 4\.0/);
    refuses(() => parseNpy({ file: 'png.npy' }, Buffer.from('\x89PNG\r\n\x1a\n0000', 'latin1')), 'png.npy', /not a NumPy \.npy file/);
  });

  it('never evaluates the header: anything but the plain dict is refused', () => {
    for (const header of [
      "{'descr': __import__('os').system('true'), 'fortran_order': False, 'shape': (1,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
      "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
      "{'descr': 'cos\\nsystem', 'fortran_order': False, 'shape': (1,)}",
      "{'descr': '<f4', 'fortran_order': False}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} junk",
    ]) {
      refuses(() => parseNpy({ file: 'evil.npy' }, npy(header, new Uint8Array(4))), 'evil.npy', /malformed header|structured|not a plain|missing/);
    }
    refuses(() => parseNpy({ file: 'u.npy' }, npy("{'descr': '<U3', 'fortran_order': False, 'shape': (1,)}", new Uint8Array(12))), 'u.npy', /dtype '<U3'.*not supported/);
    refuses(() => parseNpy({ file: 'f2.npy' }, npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1,)}", new Uint8Array(2))), 'f2.npy', /astype\('float32'\)/);
  });

  it('names the archive member when it has one', () => {
    refuses(() => parseNpy({ file: 'a.npz', member: 'x.npy' }, new Uint8Array(3)), 'a.npz', /^a\.npz: member x\.npy is not a NumPy/);
  });

  it('refuses NaN features with their position', () => {
    const data = Buffer.alloc(8); data.writeFloatLE(1, 0); data.writeFloatLE(NaN, 4);
    const x = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }", data);
    const y = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", Buffer.from([0, 1]));
    const xa = parseNpy({ file: 'x.npy' }, x);
    expect(xa.data[1]).toBeNaN();
    refuses(() => toSplit({ file: 'x.npy' }, xa, { file: 'y.npy' }, parseNpy({ file: 'y.npy' }, y), []), 'x.npy', /NaN or infinite value at flat index 1/);
  });
});
