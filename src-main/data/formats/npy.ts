/**
 * NumPy .npy arrays (np.save). Layout: magic `\x93NUMPY`, version byte pair (1.0, 2.0 or 3.0),
 * header length (uint16 LE for 1.0, uint32 LE after), then a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }`, then the raw C-order data.
 * The header is parsed by a small tokenizer that accepts only that dict: nothing is evaluated
 * and nothing is unpickled.
 */
import { ImportError, importProblem } from '../errors.js';
import type { Message } from '../../shared/messages.js';
import { MAX_INFLATED_BYTES, gunzipBounded, isGzip } from '../gzip.js';
import { importBudget, readInflated } from '../source.js';
import type { ParsedDataset, ParsedSplit } from './types.js';

export interface NpyArray {
  /** Row-major values, `[...shape]`: Uint8Array for u1/b1, Float32Array for every other dtype. */
  data: Uint8Array | Float32Array;
  shape: number[];
  /** The header's descr, e.g. '<f4', '|u1'. */
  dtype: string;
  /** Conversions the user should know about (precision lost). */
  notes: string[];
}

/** Where an array came from, for messages: the file, and the member when it sits inside an .npz. */
export interface NpySource { file: string; member?: string }

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy itself writes headers of a few hundred bytes; anything bigger is not a real array header. */
const MAX_HEADER_BYTES = 64 * 1024;
/** The typed-array bound. */
const MAX_ELEMENTS = 2 ** 31 - 1;
/** Labels are class indices; more classes than this is a mistake (ids, not classes). */
export const MAX_CLASSES = 100_000;
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const KINDS: Record<string, number> = { u1: 1, i1: 1, b1: 1, u2: 2, i2: 2, u4: 4, i4: 4, u8: 8, i8: 8, f4: 4, f8: 8 };

function fail(src: NpySource, problem: string | Message): never {
  if (typeof problem !== 'string') {
    throw new ImportError(src.file, src.member ? { code: problem.code, params: { ...problem.params, member: src.member } } : problem);
  }
  throw new ImportError(src.file, src.member ? `member ${src.member} ${problem}` : problem);
}

type Token = { t: 'p'; v: string } | { t: 's'; v: string } | { t: 'n'; v: number } | { t: 'b'; v: boolean };

function tokenize(src: NpySource, text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') { i++; continue; }
    if ('{}()[],:'.includes(c)) { tokens.push({ t: 'p', v: c }); i++; continue; }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const body = end < 0 ? '' : text.slice(i + 1, end);
      // Escapes never occur in a real header; refusing them keeps the tokenizer trivial.
      if (end < 0 || body.includes('\\')) fail(src, 'has a malformed header (bad string literal); it is not a NumPy .npy file');
      tokens.push({ t: 's', v: body });
      i = end + 1;
      continue;
    }
    const word = /^(True|False|\d{1,15}L?)/.exec(text.slice(i, i + 20));
    if (!word) fail(src, `has a malformed header (unexpected ${JSON.stringify(text.slice(i, i + 12))}); it is not a plain NumPy .npy file`);
    const w = word[1];
    tokens.push(w === 'True' || w === 'False' ? { t: 'b', v: w === 'True' } : { t: 'n', v: Number.parseInt(w, 10) });
    i += w.length;
  }
  return tokens;
}

interface Header { descr: string; fortran: boolean; shape: number[] }

/** Parses exactly `{'descr': str, 'fortran_order': bool, 'shape': (int, ...)}` in any key order. */
function parseHeaderDict(src: NpySource, text: string): Header {
  const tok = tokenize(src, text);
  let k = 0;
  const bad = (why: string): never => fail(src, `has a malformed header (${why}); it is not a plain NumPy .npy file`);
  const punct = (v: string): void => { const t = tok[k++]; if (!t || t.t !== 'p' || t.v !== v) bad(`expected '${v}'`); };
  const isPunct = (v: string): boolean => tok[k]?.t === 'p' && tok[k].v === v;
  const out: Partial<Header> = {};
  punct('{');
  while (!isPunct('}')) {
    const key = tok[k++];
    if (!key || key.t !== 's') return bad('expected a key');
    punct(':');
    if (key.v === 'descr') {
      const v = tok[k++];
      if (v?.t === 'p' && v.v === '[') return fail(src, importProblem('import.npyStructured'));
      if (!v || v.t !== 's') return fail(src, importProblem('import.npyStructured'));
      out.descr = v.v;
    } else if (key.v === 'fortran_order') {
      const v = tok[k++];
      if (!v || v.t !== 'b') return bad('fortran_order is not True or False');
      out.fortran = v.v;
    } else if (key.v === 'shape') {
      punct('(');
      const shape: number[] = [];
      while (!isPunct(')')) {
        const v = tok[k++];
        if (!v || v.t !== 'n') return bad('shape is not a tuple of whole numbers');
        shape.push(v.v);
        if (!isPunct(')')) punct(',');
      }
      punct(')');
      out.shape = shape;
    } else {
      return bad(`unknown key '${key.v}'`);
    }
    if (!isPunct('}')) punct(',');
  }
  punct('}');
  if (k !== tok.length) bad('text after the closing brace');
  if (out.descr === undefined || out.fortran === undefined || out.shape === undefined) bad('descr, fortran_order or shape is missing');
  return out as Header;
}

/** Parses one .npy file's bytes (optionally gzipped). Sizes are checked before anything is allocated. */
export function parseNpy(src: NpySource, raw: Uint8Array, maxBytes = MAX_INFLATED_BYTES): NpyArray {
  const bytes = isGzip(raw) ? gunzipBounded(src.file, raw, maxBytes) : raw;
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail(src, importProblem('import.npyMagic'));
  const major = bytes[6];
  if (major < 1 || major > 3 || bytes[7] !== 0) fail(src, `has .npy format version ${major}.${bytes[7]}; versions 1.0, 2.0 and 3.0 are supported`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) fail(src, importProblem('import.headerTruncated'));
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenSize;
  if (headerLen > MAX_HEADER_BYTES) fail(src, `declares a ${headerLen}-byte header; real .npy headers are under 64 KiB`);
  if (bytes.length < start + headerLen) fail(src, importProblem('import.headerTruncated'));
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const h = parseHeaderDict(src, text);

  const order = h.descr[0];
  const kind = h.descr.slice(1);
  if (h.descr.includes('O')) fail(src, importProblem('import.npyObject'));
  if (!'<>|='.includes(order) || !(kind in KINDS)) {
    fail(src, importProblem('import.npyDtype', { dtype: h.descr }));
  }
  if (h.fortran) fail(src, importProblem('import.npyFortran'));
  const size = KINDS[kind];
  const little = order === '<' || (order === '=' && HOST_LE) || size === 1;
  if (h.shape.length > 32) fail(src, `has ${h.shape.length} dimensions; at most 32 are supported`);
  let count = 1;
  for (const d of h.shape) {
    count *= d;
    if (count > MAX_ELEMENTS) fail(src, `declares shape (${h.shape.join(', ')}), more elements than can be loaded`);
  }
  const dataStart = start + headerLen;
  const need = count * size;
  if (need > maxBytes) fail(src, importProblem('import.npyTooLarge', { shape: h.shape.join(', '), dtype: h.descr, need, limit: maxBytes }));
  const have = bytes.length - dataStart;
  if (have < need) fail(src, importProblem('import.npyTruncated', { shape: h.shape.join(', '), dtype: h.descr, need, have }));
  if (have > need) fail(src, importProblem('import.npyTrailing', { extra: have - need }));

  const notes: string[] = [];
  const body = bytes.subarray(dataStart, dataStart + need);
  if (size === 1 && kind !== 'i1') {
    return { data: new Uint8Array(body), shape: h.shape, dtype: h.descr, notes };
  }
  return { data: toFloat32(src, body, kind, little, count, notes), shape: h.shape, dtype: h.descr, notes };
}

type FastCtor = Int8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor | Uint32ArrayConstructor
  | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;
const FAST: Record<string, FastCtor | undefined> = {
  i1: Int8Array, u2: Uint16Array, i2: Int16Array, u4: Uint32Array, i4: Int32Array, f4: Float32Array, f8: Float64Array,
};

function toFloat32(src: NpySource, body: Uint8Array, kind: string, little: boolean, count: number, notes: string[]): Float32Array {
  const out = new Float32Array(count);
  // Fast path: an aligned copy viewed as the source type, converted by the engine's typed-array set.
  if (little === HOST_LE && kind !== 'i8' && kind !== 'u8') {
    const copy = new Uint8Array(body).buffer; // a copy: Buffer.slice would share the file's unaligned memory
    const Ctor = FAST[kind];
    if (!Ctor) fail(src, `has unsupported dtype ${kind}`);
    out.set(new Ctor(copy));
  } else {
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    let beyond = 0;
    for (let i = 0; i < count; i++) {
      switch (kind) {
        case 'i1': out[i] = view.getInt8(i); break;
        case 'u2': out[i] = view.getUint16(2 * i, little); break;
        case 'i2': out[i] = view.getInt16(2 * i, little); break;
        case 'u4': out[i] = view.getUint32(4 * i, little); break;
        case 'i4': out[i] = view.getInt32(4 * i, little); break;
        case 'f4': out[i] = view.getFloat32(4 * i, little); break;
        case 'f8': out[i] = view.getFloat64(8 * i, little); break;
        default: {
          const v = kind === 'i8' ? view.getBigInt64(8 * i, little) : view.getBigUint64(8 * i, little);
          if (v > 2n ** 53n || v < -(2n ** 53n)) beyond++;
          out[i] = Number(v);
        }
      }
    }
    if (beyond > 0) notes.push(`${src.member ?? src.file}: ${beyond} int64 values beyond ±2^53 were rounded to the nearest float32`);
  }
  return out;
}

/**
 * The total length an .npy's header declares (header plus data), undefined while `head` is too
 * short to tell; throws for bytes that are not an .npy header. Lets a gzipped .npy be inflated only
 * as far as it claims to go.
 */
export function npyDeclaredBytes(src: NpySource, head: Uint8Array): number | undefined {
  if (head.length < 12) return undefined;
  if (MAGIC.some((b, i) => head[i] !== b)) fail(src, importProblem('import.npyMagic'));
  const major = head[6];
  if (major < 1 || major > 3) return undefined; // parseNpy says what is wrong
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + (major === 1 ? 2 : 4);
  if (headerLen > MAX_HEADER_BYTES) fail(src, `declares a ${headerLen}-byte header; real .npy headers are under 64 KiB`);
  if (head.length < start + headerLen) return undefined;
  const h = parseHeaderDict(src, Buffer.from(head.buffer, head.byteOffset + start, headerLen).toString(major === 3 ? 'utf8' : 'latin1'));
  const size = KINDS[h.descr.slice(1)] ?? 1;
  return start + headerLen + h.shape.reduce((a, b) => a * b, 1) * size;
}

/** Reads one user's .npy (optionally gzipped), bounded by the import budget and its own header. */
export async function readNpy(file: string, budget = importBudget()): Promise<NpyArray> {
  const src = { file };
  const bytes = await readInflated(file, (head) => npyDeclaredBytes(src, head), budget);
  return parseNpy(src, bytes, budget);
}

/**
 * Turns a labels array into class indices: shape [n] or [n, 1] (CIFAR's y), whole numbers
 * 0..MAX_CLASSES-1; or one-hot rows [n, k] (to_categorical), converted with a note.
 */
export function toLabels(src: NpySource, a: NpyArray, notes: string[]): Int32Array {
  const [n, k = 1] = a.shape;
  if (a.shape.length === 0 || a.shape.length > 2) fail(src, importProblem('import.npyLabelShape', { shape: a.shape.join(', ') }));
  const y = new Int32Array(n);
  if (k > 1) {
    for (let i = 0; i < n; i++) {
      let hot = -1;
      for (let j = 0; j < k; j++) {
        const v = a.data[i * k + j];
        if (v === 1 && hot < 0) hot = j;
        else if (v !== 0) hot = -2;
      }
      if (hot < 0) fail(src, importProblem('import.npyOneHot', { n, k, row: i }));
      y[i] = hot;
    }
    notes.push(`${src.member ?? src.file}: one-hot labels (${n}×${k}) converted to class indices`);
    return y;
  }
  for (let i = 0; i < n; i++) {
    const v = a.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= MAX_CLASSES) {
      fail(src, importProblem('import.npyLabel', { index: i, value: String(v), max: MAX_CLASSES - 1 }));
    }
    y[i] = v;
  }
  return y;
}

/** Pairs features with labels into one split; checks counts and finite values. */
export function toSplit(xSrc: NpySource, x: NpyArray, ySrc: NpySource, yArr: NpyArray, notes: string[]): { split: ParsedSplit; featureShape: number[] } {
  if (x.shape.length < 2) fail(xSrc, importProblem('import.npyFeatureShape', { shape: x.shape.join(', ') }));
  const y = toLabels(ySrc, yArr, notes);
  if (x.shape[0] !== y.length) {
    fail(ySrc, importProblem('import.npyCounts', { labels: y.length, features: xSrc.member ?? xSrc.file, count: x.shape[0] }));
  }
  if (x.shape[0] === 0) fail(xSrc, importProblem('import.npyNoSamples'));
  if (x.data instanceof Float32Array) {
    const bad = x.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(xSrc, importProblem('import.npyNonFinite', { index: bad }));
  }
  for (const n of x.notes.concat(yArr.notes)) notes.push(n);
  return { split: { x: x.data, y, count: x.shape[0] }, featureShape: x.shape.slice(1) };
}

/** Builds the dataset from a train split and an optional test split of the same feature shape. */
export function toDataset(format: 'npy' | 'npz', train: ReturnType<typeof toSplit>, test: ReturnType<typeof toSplit> | undefined, src: NpySource, notes: string[]): ParsedDataset {
  if (test && test.featureShape.join() !== train.featureShape.join()) {
    fail(src, importProblem('import.npySplitShapes', { train: train.featureShape.join('×'), test: test.featureShape.join('×') }));
  }
  let maxLabel = -1;
  for (const s of [train.split, test?.split]) for (const v of s?.y ?? []) if (v > maxLabel) maxLabel = v;
  if (maxLabel < 1) fail(src, importProblem('import.npyOneClass'));
  const fs = train.featureShape;
  // uint8 [h, w] or [h, w, 1|3|4] is what image arrays look like (mnist.npz): scale them by 1/255.
  const isImage = train.split.x instanceof Uint8Array && (fs.length === 2 || (fs.length === 3 && [1, 3, 4].includes(fs[2])));
  if (isImage) notes.push(`uint8 ${fs.join('×')} samples treated as images (scaled by 1/255)`);
  return {
    format,
    featureShape: fs,
    classNames: Array.from({ length: maxLabel + 1 }, (_, i) => String(i)),
    train: train.split,
    ...(test ? { test: test.split } : {}),
    isImage,
    notes,
  };
}

/** Imports a features .npy and a labels .npy that belong together (np.save(x), np.save(y)). */
export async function parseNpyPair(xFile: string, yFile: string): Promise<ParsedDataset> {
  const notes: string[] = [];
  const train = toSplit({ file: xFile }, await readNpy(xFile), { file: yFile }, await readNpy(yFile), notes);
  return toDataset('npy', train, undefined, { file: xFile }, notes);
}
