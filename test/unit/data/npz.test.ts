import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { listNpzArrays, parseNpz, readNpz, MAX_MEMBERS } from '../../../src-main/data/formats/npz.js';
import { ImportError } from '../../../src-main/data/errors.js';
import { messageText } from '../../../src-main/shared/messages.js';
import { messageIn } from '../../../src-renderer/src/lib/verdict-text.js';
import { translate } from '../../../src-renderer/src/i18n/translate.js';

const dir = join(import.meta.dirname, '../../fixtures/npy');
const at = (name: string): string => join(dir, name);
interface Described { shape: number[]; sum: number; first: number; last: number; at7: number }
const expected = JSON.parse(readFileSync(at('expected.json'), 'utf8')) as {
  x_f4: Described; y_i8: number[];
  mnist: { x_train: Described; x_test: Described; y_train: number[]; y_test: number[] };
};

interface Entry {
  name: string;
  data: Uint8Array;
  deflate?: boolean;
  /** Overrides the declared uncompressed size (a lie, for bombs); above 4 GiB it goes into a zip64 field. */
  size?: number;
  crc?: number;
  method?: number;
  flags?: number;
  /** Write sizes in a data descriptor after the data, as streaming zip writers do. */
  descriptor?: boolean;
}

/** A zip archive with whatever lies we ask for. */
function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = e.deflate ? deflateRawSync(e.data) : Buffer.from(e.data);
    const size = e.size ?? e.data.length;
    const crc = e.crc ?? crc32(e.data) >>> 0;
    const method = e.method ?? (e.deflate ? 8 : 0);
    const flags = (e.flags ?? 0) | (e.descriptor ? 8 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    if (!e.descriptor) {
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(packed.length, 18);
      local.writeUInt32LE(Math.min(size, 0xffffffff), 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(e.descriptor ? 16 : 0);
    if (e.descriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(packed.length, 8);
      descriptor.writeUInt32LE(size, 12);
    }
    const zip64 = size >= 0xffffffff;
    const extra = Buffer.alloc(zip64 ? 12 : 0);
    if (zip64) {
      extra.writeUInt16LE(1, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(zip64 ? 45 : 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(zip64 ? 0xffffffff : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed, descriptor);
    centrals.push(central, name, extra);
    offset += local.length + name.length + packed.length + descriptor.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

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

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
const xNpy = readFileSync(at('x_f4.npy'));
const yNpy = readFileSync(at('y_i8.npy'));

describe('npz: archives numpy wrote', () => {
  it('reads a Keras-like mnist.npz (savez_compressed, zip64 local headers) with its test split', () => {
    const d = readNpz(at('mnist.npz'));
    const e = expected.mnist;
    expect(d.format).toBe('npz');
    expect(d.featureShape).toEqual(e.x_train.shape.slice(1));
    expect(d.classNames).toEqual(['0', '1', '2', '3']);
    expect(d.train.count).toBe(e.x_train.shape[0]);
    expect(d.train.x).toBeInstanceOf(Uint8Array);
    expect(sum(d.train.x)).toBe(e.x_train.sum);
    expect(d.train.x[7]).toBe(e.x_train.at7);
    expect(sum(d.test!.x)).toBe(e.x_test.sum);
    expect(d.test!.x[d.test!.x.length - 1]).toBe(e.x_test.last);
    expect(Array.from(d.train.y)).toEqual(e.y_train);
    expect(Array.from(d.test!.y)).toEqual(e.y_test);
    expect(d.isImage).toBe(true);
    expect(d.notes[0]).toBe('arrays: x_train + y_train, test: x_test + y_test');
  });

  it('reads np.savez (stored members) with x and y', () => {
    const d = readNpz(at('xy.npz'));
    expect(d.test).toBeUndefined();
    expect(d.featureShape).toEqual([4]);
    expect(sum(d.train.x)).toBeCloseTo(expected.x_f4.sum, 4);
    expect(Array.from(d.train.y)).toEqual(expected.y_i8);
  });

  it('uses the names the caller chooses, and lists the arrays to choose from', () => {
    const bytes = readFileSync(at('named.npz'));
    expect(listNpzArrays('named.npz', bytes).map((a) => a.name)).toEqual(['images', 'labels', 'extra']);
    refuses(() => parseNpz('named.npz', bytes), 'named.npz', /holds arrays images, labels, extra; expected x_train\/y_train/);
    const d = parseNpz('named.npz', bytes, { names: { x: 'images', y: 'labels.npy' } });
    expect(Array.from(d.train.y)).toEqual([1, 0, 1, 1, 0]);
    refuses(() => parseNpz('named.npz', bytes, { names: { x: 'images', y: 'targets' } }), 'named.npz', /no array named 'targets'; it holds images, labels, extra/);
  });

  it('reads members with data descriptors and deflate written by another zip tool', () => {
    const d = parseNpz('dd.npz', zip([
      { name: 'x.npy', data: xNpy, deflate: true, descriptor: true },
      { name: 'y.npy', data: yNpy, descriptor: true },
    ]));
    expect(Array.from(d.train.y)).toEqual(expected.y_i8);
  });

  it('names the member in its errors', () => {
    const bad = Buffer.from(xNpy.subarray(0, xNpy.length - 4));
    refuses(() => parseNpz('m.npz', zip([{ name: 'x.npy', data: bad }, { name: 'y.npy', data: yNpy }])), 'm.npz', /^m\.npz: member x\.npy is truncated/);
    refuses(() => parseNpz('m.npz', zip([{ name: 'x.npy', data: xNpy }, { name: 'y.npy', data: readFileSync(at('y_onehot.npy')).subarray(0, 20) }])), 'm.npz', /member y\.npy/);
    // Coded with the member as a parameter: the CLI's English is unchanged and the page names the array in Korean.
    let caught: ImportError | undefined;
    try { parseNpz('m.npz', zip([{ name: 'x.npy', data: readFileSync(at('object.npy')) }, { name: 'y.npy', data: yNpy }])); } catch (err) { caught = err as ImportError; }
    expect(caught?.message).toBe("m.npz: member x.npy holds Python objects (dtype 'O'), which would need unpickling; Layerlab never unpickles. Save a numeric array: np.save(path, x.astype('float32'))");
    expect(caught?.coded).toEqual({ code: 'import.npyObject', params: { file: 'm.npz', member: 'x.npy' } });
    const ko = messageIn(caught?.coded, caught!.message, (key, params) => translate('ko', key, params));
    expect(ko).toMatch(/^m\.npz의 배열 x\.npy: 파이썬 객체/);
  });
});

describe('npz: hostile archives', () => {
  it('refuses a member that inflates past its declared size (a bomb) before it fills memory', () => {
    const zeros = new Uint8Array(16 * 2 ** 20);
    const bomb = zip([{ name: 'x.npy', data: zeros, deflate: true, size: 1000 }, { name: 'y.npy', data: yNpy }]);
    expect(bomb.length).toBeLessThan(50_000);
    refuses(() => parseNpz('bomb.npz', bomb), 'bomb.npz', /decompresses to more than its declared 1000 bytes/);
  });

  it('refuses a member declaring 10 GB before inflating anything', () => {
    const huge = zip([{ name: 'x.npy', data: xNpy, deflate: true, size: 10e9 }, { name: 'y.npy', data: yNpy }]);
    refuses(() => parseNpz('huge.npz', huge), 'huge.npz', /member x\.npy declares 9\.3 GiB uncompressed, more than the 2\.0 GiB limit/);
    refuses(() => parseNpz('lim.npz', zip([{ name: 'x.npy', data: xNpy }, { name: 'y.npy', data: yNpy }]), { maxMemberBytes: 100 }), 'lim.npz', /declares 224 bytes uncompressed, more than the 100 bytes limit/);
  });

  it('refuses a CRC mismatch, a short member, too many members, and unknown methods', () => {
    refuses(() => parseNpz('crc.npz', zip([{ name: 'x.npy', data: xNpy, crc: 1234 }, { name: 'y.npy', data: yNpy }])), 'crc.npz', /member x\.npy fails its CRC-32 check \(stored 0x000004d2/);
    refuses(() => parseNpz('short.npz', zip([{ name: 'x.npy', data: xNpy, deflate: true, size: xNpy.length + 10 }, { name: 'y.npy', data: yNpy }])), 'short.npz', /inflates to 224 bytes but declares 234/);
    const many = Array.from({ length: MAX_MEMBERS + 1 }, (_, i) => ({ name: `a${i}.npy`, data: yNpy }));
    refuses(() => parseNpz('many.npz', zip(many)), 'many.npz', /has 65 members; an \.npz here holds at most 64/);
    refuses(() => parseNpz('bz.npz', zip([{ name: 'x.npy', data: xNpy, method: 12 }, { name: 'y.npy', data: yNpy }])), 'bz.npz', /compression method 12/);
    refuses(() => parseNpz('enc.npz', zip([{ name: 'x.npy', data: xNpy, flags: 1 }, { name: 'y.npy', data: yNpy }])), 'enc.npz', /encrypted/);
    refuses(() => parseNpz('dup.npz', zip([{ name: 'x.npy', data: xNpy }, { name: 'x.npy', data: yNpy }])), 'dup.npz', /two members named x\.npy/);
  });

  it('refuses truncated archives and things that are not zips', () => {
    const good = readFileSync(at('mnist.npz'));
    refuses(() => parseNpz('cut.npz', good.subarray(0, good.length - 30)), 'cut.npz', /not a readable \.npz \(zip\) archive/);
    refuses(() => parseNpz('cut.npz', good.subarray(0, 600)), 'cut.npz', /not a readable/);
    refuses(() => parseNpz('empty.npz', new Uint8Array(0)), 'empty.npz', /no end-of-central-directory/);
    refuses(() => parseNpz('npy.npz', xNpy), 'npy.npz', /not a readable/);
    refuses(() => readNpz(at('missing.npz')), at('missing.npz'), /does not exist; check the path/);
  });

  it('refuses a test split with a different sample shape, and a lone x_test', () => {
    const u1 = readFileSync(at('x_u1.npy'));
    const yCol = readFileSync(at('y_col_u1.npy'));
    refuses(() => parseNpz('shape.npz', zip([
      { name: 'x_train.npy', data: xNpy }, { name: 'y_train.npy', data: yNpy },
      { name: 'x_test.npy', data: u1 }, { name: 'y_test.npy', data: yCol },
    ])), 'shape.npz', /train samples are \[4\] but test samples are \[4×3\]/);
    refuses(() => parseNpz('lone.npz', zip([
      { name: 'x_train.npy', data: xNpy }, { name: 'y_train.npy', data: yNpy }, { name: 'x_test.npy', data: u1 },
    ])), 'lone.npz', /only one of x_test and y_test/);
  });
});
