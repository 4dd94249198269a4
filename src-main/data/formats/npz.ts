/**
 * NumPy .npz archives (np.savez, np.savez_compressed): a zip of .npy members. The zip reader is
 * minimal and bounded: the central directory is the truth (so data descriptors need no special
 * case), stored and deflate members only, zip64 sizes understood (numpy forces zip64 on every
 * member), at most 64 members, each member's size limited before it is inflated and inflation
 * capped at the declared size, so a bomb is refused before it fills memory; CRC-32 checked.
 */
import { crc32 } from 'node:zlib';
import { ImportError, importProblem } from '../errors.js';
import { importBudget, readRegular } from '../source.js';
import { MAX_INFLATED_BYTES, formatBytes, inflateRawBounded } from '../gzip.js';
import { parseNpy, toDataset, toSplit, type NpyArray } from './npy.js';
import type { ParsedDataset } from './types.js';

/** One member as the central directory describes it. */
export interface ZipMember {
  name: string;
  /** Declared uncompressed size in bytes. */
  size: number;
  compressedSize: number;
  method: number;
  crc: number;
  localOffset: number;
}

export interface NpzOptions {
  /** Member names (with or without '.npy') of the training pair, e.g. { x: 'images', y: 'labels' }. */
  names?: { x: string; y: string };
  /** Member names of a test pair, when `names` is given. */
  testNames?: { x: string; y: string };
  /** Largest uncompressed member accepted (default and ceiling: 2 GiB − 1). */
  maxMemberBytes?: number;
}

export const MAX_MEMBERS = 64;
const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Reads the central directory of a zip. Throws ImportError for anything it cannot vouch for. */
export function listZip(file: string, bytes: Uint8Array): ZipMember[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (why: string): never => { throw new ImportError(file, importProblem('import.npzNotZip', { why })); };
  const u16 = (o: number): number => (o + 2 <= bytes.length ? view.getUint16(o, true) : bad('truncated'));
  const u32 = (o: number): number => (o + 4 <= bytes.length ? view.getUint32(o, true) : bad('truncated'));
  const u64 = (o: number): number => {
    if (o + 8 > bytes.length) bad('truncated');
    const v = view.getBigUint64(o, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? bad('a zip64 size or offset beyond 2^53') : Number(v);
  };
  // The end record sits in the last 22 + 65535 (comment) bytes; search backwards for its signature.
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--) {
    if (view.getUint32(o, true) === EOCD && o + 22 + view.getUint16(o + 20, true) === bytes.length) { eocd = o; break; }
  }
  if (eocd < 0) bad('no end-of-central-directory record (truncated, or not a zip)');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) bad('multi-disk archives are not supported');
  let entries = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== EOCD64_LOCATOR) bad('zip64 end record missing');
    const rec = u64(loc + 8);
    if (u32(rec) !== EOCD64) bad('zip64 end record missing');
    entries = u64(rec + 32);
    cdSize = u64(rec + 40);
    cdOffset = u64(rec + 48);
  }
  if (entries > MAX_MEMBERS) throw new ImportError(file, `has ${entries} members; an .npz here holds at most ${MAX_MEMBERS} arrays`);
  if (cdOffset + cdSize > bytes.length) bad('the central directory lies outside the file');

  const members: ZipMember[] = [];
  let p = cdOffset;
  for (let i = 0; i < entries; i++) {
    if (u32(p) !== CENTRAL) bad(`central directory entry ${i} is damaged`);
    const flags = u16(p + 8);
    const method = u16(p + 10);
    const crc = u32(p + 16);
    let compressedSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let localOffset = u32(p + 42);
    if (p + 46 + nameLen + extraLen + commentLen > bytes.length) bad('truncated');
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + p + 46, nameLen).toString('utf8');
    // The zip64 extra field holds, in this order, only the values that overflowed 32 bits.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = u16(e);
      const len = u16(e + 2);
      if (id === 1) {
        let q = e + 4;
        if (size === 0xffffffff) { size = u64(q); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = u64(q); q += 8; }
        if (localOffset === 0xffffffff) { localOffset = u64(q); q += 8; }
        if (q > e + 4 + len) bad(`member ${name} has a short zip64 field`);
      }
      e += 4 + len;
    }
    if (flags & 1) throw new ImportError(file, importProblem('import.npzEncrypted', { name }));
    if (members.some((m) => m.name === name)) throw new ImportError(file, `has two members named ${name}; it is ambiguous which one to read`);
    members.push({ name, size, compressedSize, method, crc, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

/** Inflates one member, refusing it before inflation when its declared size is over the limit. */
export function readZipMember(file: string, bytes: Uint8Array, m: ZipMember, maxBytes = MAX_INFLATED_BYTES): Buffer {
  const limit = Math.min(maxBytes, MAX_INFLATED_BYTES);
  if (m.size > limit) {
    throw new ImportError(file, importProblem('import.npzMemberTooLarge', { name: m.name, size: formatBytes(m.size), limit: formatBytes(limit) }));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const o = m.localOffset;
  if (o + 30 > bytes.length || view.getUint32(o, true) !== LOCAL) {
    throw new ImportError(file, `member ${m.name}'s local header is missing or damaged; the archive is corrupt`);
  }
  // The local name and extra lengths may differ from the central ones (numpy's zip64 extra does).
  const start = o + 30 + view.getUint16(o + 26, true) + view.getUint16(o + 28, true);
  const end = start + m.compressedSize;
  if (end > bytes.length) throw new ImportError(file, importProblem('import.npzMemberTruncated', { name: m.name }));
  const packed = bytes.subarray(start, end);
  let data: Buffer;
  if (m.method === 0) {
    if (m.compressedSize !== m.size) throw new ImportError(file, `member ${m.name} is stored with inconsistent sizes; the archive is corrupt`);
    data = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  } else if (m.method === 8) {
    data = inflateRawBounded(file, packed, m.size);
    if (data.length !== m.size) {
      throw new ImportError(file, `member ${m.name} inflates to ${data.length} bytes but declares ${m.size}; the archive is corrupt`);
    }
  } else {
    throw new ImportError(file, `member ${m.name} uses zip compression method ${m.method}; only stored and deflate are supported (np.savez / np.savez_compressed)`);
  }
  const actual = crc32(data) >>> 0;
  if (actual !== m.crc) {
    throw new ImportError(file, importProblem('import.npzCrc', { name: m.name, stored: hex(m.crc), computed: hex(actual) }));
  }
  return data;
}

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
const arrayName = (member: string): string => member.replace(/\.npy$/, '');

/** The arrays in an archive with their declared sizes, for letting the user choose x and y. */
export function listNpzArrays(file: string, bytes: Uint8Array): Array<{ name: string; size: number }> {
  return listZip(file, bytes).filter((m) => !m.name.endsWith('/')).map((m) => ({ name: arrayName(m.name), size: m.size }));
}

/** Picks the train and test pairs: the caller's names, else x_train/y_train (+ x_test/y_test), else x/y. */
function choosePairs(file: string, names: string[], opts: NpzOptions): { train: [string, string]; test?: [string, string] } {
  const has = (n: string): boolean => names.includes(n);
  const strip = (p: { x: string; y: string }): [string, string] => [arrayName(p.x), arrayName(p.y)];
  if (opts.names) {
    const train = strip(opts.names);
    const test = opts.testNames ? strip(opts.testNames) : undefined;
    for (const n of [...train, ...(test ?? [])]) {
      if (!has(n)) throw new ImportError(file, importProblem('import.npzNoArray', { name: n, names: names.join(', ') || 'no arrays' }));
    }
    return { train, test };
  }
  if (has('x_train') && has('y_train')) {
    if (has('x_test') !== has('y_test')) throw new ImportError(file, importProblem('import.npzOneTest'));
    return { train: ['x_train', 'y_train'], test: has('x_test') ? ['x_test', 'y_test'] : undefined };
  }
  if (has('x') && has('y')) return { train: ['x', 'y'] };
  throw new ImportError(file, importProblem('import.npzArrays', { names: names.join(', ') || '(none)' }));
}

/** Imports an .npz archive's bytes as a dataset (see NpzOptions for how arrays are found). */
export function parseNpz(file: string, bytes: Uint8Array, opts: NpzOptions = {}): ParsedDataset {
  const members = listZip(file, bytes);
  const byName = new Map(members.map((m) => [arrayName(m.name), m]));
  const pairs = choosePairs(file, [...byName.keys()], opts);
  const max = opts.maxMemberBytes ?? MAX_INFLATED_BYTES;
  const load = (name: string): NpyArray => {
    const m = byName.get(name)!;
    return parseNpy({ file, member: m.name }, readZipMember(file, bytes, m, max), max);
  };
  const notes: string[] = [];
  const split = ([x, y]: [string, string]): ReturnType<typeof toSplit> =>
    toSplit({ file, member: byName.get(x)!.name }, load(x), { file, member: byName.get(y)!.name }, load(y), notes);
  const train = split(pairs.train);
  const test = pairs.test ? split(pairs.test) : undefined;
  notes.unshift(`arrays: ${pairs.train.join(' + ')}${pairs.test ? `, test: ${pairs.test.join(' + ')}` : ''}`);
  return toDataset('npz', train, test, { file }, notes);
}

/** Reads a user's .npz: a regular file within the import budget, each member bounded by it too. */
export function readNpz(file: string, opts: NpzOptions = {}, budget = importBudget()): ParsedDataset {
  return parseNpz(file, readRegular(file, budget), { ...opts, maxMemberBytes: Math.min(opts.maxMemberBytes ?? budget, budget) });
}
