/**
 * IDX (the MNIST format), raw or gzipped. Header: two zero bytes, a type byte, a rank byte, then
 * `rank` big-endian uint32 dimensions; the data follows and must fill the file exactly.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { ImportError, importProblem, unreadable } from '../errors.js';
import { gunzipBounded, isGzip } from '../gzip.js';
import { importBudget, readInflated } from '../source.js';

export interface IdxArray {
  /** Uint8 for type 0x08, Float32 for every other type (converted). */
  data: Uint8Array | Float32Array;
  shape: number[];
}

const TYPES: Record<number, { name: string; size: number }> = {
  0x08: { name: 'uint8', size: 1 },
  0x09: { name: 'int8', size: 1 },
  0x0b: { name: 'int16', size: 2 },
  0x0c: { name: 'int32', size: 4 },
  0x0d: { name: 'float32', size: 4 },
  0x0e: { name: 'float64', size: 8 },
};

/** Largest number of elements one IDX file may declare (2^31 − 1, the typed-array bound). */
const MAX_ELEMENTS = 2 ** 31 - 1;

export function parseIdx(file: string, raw: Uint8Array): IdxArray {
  const bytes = isGzip(raw) ? gunzipBounded(file, raw) : raw;
  if (bytes.length < 4) throw new ImportError(file, `is ${bytes.length} bytes, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new ImportError(file, importProblem('import.idxMagic'));
  const type = TYPES[bytes[2]];
  if (!type) throw new ImportError(file, importProblem('import.idxType', { type: bytes[2].toString(16).padStart(2, '0') }));
  const rank = bytes[3];
  if (rank < 1 || rank > 4) throw new ImportError(file, `has ${rank} dimensions; IDX files here have 1 to 4`);
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) throw new ImportError(file, importProblem('import.headerTruncated'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  if (count > MAX_ELEMENTS) throw new ImportError(file, `declares ${count} elements, more than can be loaded`);
  const expected = headerSize + count * type.size;
  if (bytes.length !== expected) {
    const code = bytes.length < expected ? 'import.idxTruncated' : 'import.idxLonger';
    throw new ImportError(file, importProblem(code, { shape: shape.join('×'), dtype: type.name, expected, have: bytes.length }));
  }
  if (type.size === 1 && bytes[2] === 0x08) {
    // A view, not a copy: the bytes were read or inflated for this parse alone, and copying
    // Fashion-MNIST's 47 MB again cost every full run's start 0.1-0.4 s.
    return { data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, count), shape };
  }
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const o = headerSize + i * type.size;
    switch (bytes[2]) {
      case 0x09: out[i] = view.getInt8(o); break;
      case 0x0b: out[i] = view.getInt16(o, false); break;
      case 0x0c: out[i] = view.getInt32(o, false); break;
      case 0x0d: out[i] = view.getFloat32(o, false); break;
      default: out[i] = view.getFloat64(o, false);
    }
  }
  return { data: out, shape };
}

/** Reads a file's bytes (a catalog reader may hand back an unpacked copy of a .gz, lib: catalog/unpacked.ts). */
export type ReadBytes = (file: string) => Uint8Array;

export function readIdx(file: string, read: ReadBytes = readFileSync): IdxArray {
  let raw: Uint8Array;
  try {
    raw = read(file);
  } catch (err) {
    throw unreadable(file, err);
  }
  return parseIdx(file, raw);
}

/**
 * The total length an IDX header declares (header plus data), undefined while `head` is too short
 * to tell; throws for bytes that are not an IDX header.
 */
export function idxDeclaredBytes(file: string, head: Uint8Array): number | undefined {
  if (head.length < 4) return undefined;
  if (head[0] !== 0 || head[1] !== 0) throw new ImportError(file, importProblem('import.idxMagic'));
  const type = TYPES[head[2]];
  if (!type) throw new ImportError(file, importProblem('import.idxType', { type: head[2].toString(16).padStart(2, '0') }));
  const rank = head[3];
  if (rank < 1 || rank > 4) throw new ImportError(file, `has ${rank} dimensions; IDX files here have 1 to 4`);
  const headerSize = 4 + 4 * rank;
  if (head.length < headerSize) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let count = 1;
  for (let i = 0; i < rank; i++) count *= view.getUint32(4 + 4 * i, false);
  return headerSize + count * type.size;
}

/** Reads one user's IDX file (optionally gzipped), bounded by the import budget and its own header. */
export async function readIdxBounded(file: string, budget = importBudget()): Promise<IdxArray> {
  return parseIdx(file, await readInflated(file, (head) => idxDeclaredBytes(file, head), budget));
}

type IdxPair = { x: Uint8Array | Float32Array; y: Int32Array; count: number; featureShape: number[] };

/**
 * Only some rows of an uncompressed uint8 IDX images file, at their places in a full-size array
 * whose other rows stay zero (never touched, so the system does not even back them with memory):
 * a run on the first few hundred samples of Fashion-MNIST reads ~0.5 MB instead of 55 MB.
 * `rows(count)` names the rows, given the count the header declares. Null for anything but a
 * well-formed uint8 file of rank 2 to 4 whose size matches its header: the caller then reads the
 * whole file, which reports what is wrong with it.
 */
export function readIdxRows(file: string, rows: (count: number) => ArrayLike<number>): IdxArray | null {
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(20);
    const got = readSync(fd, head, 0, head.length, 0);
    if (got < 4 || head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08) return null;
    const rank = head[3];
    const headerSize = 4 + 4 * rank;
    if (rank < 2 || rank > 4 || got < headerSize) return null;
    const view = new DataView(head.buffer);
    const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
    const count = shape[0];
    const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
    if (count * rowSize > MAX_ELEMENTS || fstatSync(fd).size !== headerSize + count * rowSize) return null;
    const wanted = Int32Array.from(rows(count)).sort();
    if (wanted.length > 0 && (wanted[0] < 0 || wanted[wanted.length - 1] >= count)) return null;
    const data = new Uint8Array(count * rowSize);
    // Runs of neighbouring rows in one read each.
    for (let i = 0; i < wanted.length;) {
      let j = i;
      while (j + 1 < wanted.length && wanted[j + 1] <= wanted[j] + 1) j++;
      const start = wanted[i] * rowSize;
      const end = (wanted[j] + 1) * rowSize;
      for (let at = start; at < end;) {
        const n = readSync(fd, data, at, end - at, headerSize + at);
        if (n <= 0) return null;
        at += n;
      }
      i = j + 1;
    }
    return { data, shape };
  } finally {
    closeSync(fd);
  }
}

/** readIdxPair with only some image rows read (readIdxRows); null where the whole files must be read. */
export function readIdxPairRows(imagesFile: string, labelsFile: string, plainImages: string, rows: (count: number) => ArrayLike<number>, read?: ReadBytes): IdxPair | null {
  const images = readIdxRows(plainImages, rows);
  return images ? pairIdx(imagesFile, images, labelsFile, readIdx(labelsFile, read)) : null;
}

/** Reads an images file and a labels file and checks that they belong together. */
export function readIdxPair(imagesFile: string, labelsFile: string, read?: ReadBytes): IdxPair {
  return pairIdx(imagesFile, readIdx(imagesFile, read), labelsFile, readIdx(labelsFile, read));
}

/** The same for a user's files, in the importer: each read bounded (readIdxBounded). */
export async function readIdxPairBounded(imagesFile: string, labelsFile: string): Promise<IdxPair> {
  return pairIdx(imagesFile, await readIdxBounded(imagesFile), labelsFile, await readIdxBounded(labelsFile));
}

function pairIdx(imagesFile: string, images: IdxArray, labelsFile: string, labels: IdxArray): IdxPair {
  if (images.shape.length < 2) throw new ImportError(imagesFile, `has shape [${images.shape.join('×')}]; an images file needs at least 2 dimensions (count × features)`);
  if (labels.shape.length !== 1) throw new ImportError(labelsFile, `has shape [${labels.shape.join('×')}]; a labels file has 1 dimension`);
  if (images.shape[0] !== labels.shape[0]) {
    throw new ImportError(labelsFile, importProblem('import.idxCounts', { labels: labels.shape[0], images: imagesFile, count: images.shape[0] }));
  }
  const y = new Int32Array(labels.shape[0]);
  for (let i = 0; i < y.length; i++) {
    const v = labels.data[i];
    if (!Number.isInteger(v) || v < 0) throw new ImportError(labelsFile, importProblem('import.idxLabel', { index: i, value: String(v) }));
    y[i] = v;
  }
  return { x: images.data, y, count: images.shape[0], featureShape: images.shape.slice(1) };
}
