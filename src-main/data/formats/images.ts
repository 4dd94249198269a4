/**
 * Image folders, the way Keras' image_dataset_from_directory reads them: root/<class>/<images>,
 * class names are the sub-folder names, sorted. Every header is read before anything is decoded,
 * so a non-image, an unsupported format or an oversized image is reported by name up front, and
 * the output size is known and bounded before it is allocated.
 *
 * Headers of PNG, JPEG, GIF and WebP are read from the file's first bytes (image-header.ts);
 * sharp's metadata() (no decode) answers for anything else. Then each image is decoded by one
 * sharp call, except plain PNGs of the target size, which png-plain.ts decodes with zlib: a sharp
 * call costs ~0.5–1 ms even for a 28×28 image, which made small-image folders slow.
 */
import { openSync, readSync, closeSync, fstatSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { ImportError, importProblem, unreadable } from '../errors.js';
import { messageText, type Message } from '../../shared/messages.js';
import { MAX_INFLATED_BYTES, formatBytes } from '../gzip.js';
import { HEADER_BYTES, readImageHeader } from './image-header.js';
import { decodePlainPng } from './png-plain.js';
import type { ParsedDataset, ProgressFn } from './types.js';

export interface ImageFolderOptions {
  /** 1 = grayscale, 3 = RGB. Default: 1 when every image is grayscale, else 3. Alpha is dropped. */
  channels?: 1 | 3;
  /** Every image is resized (stretched) to this. Default: the most common size among the images. */
  size?: { width: number; height: number };
  /** Largest width × height accepted, read from the header before decoding. Default 50 megapixels. */
  maxPixels?: number;
  /** Images decoded by sharp at once (4 keeps two cores busy without holding many decoded images). */
  concurrency?: number;
  /** Called with files decoded so far and the total. */
  onProgress?: ProgressFn;
}

export const MAX_IMAGE_PIXELS = 50_000_000;
const MAX_FILES = 1_000_000;
const MAX_DEPTH = 8;
/** PNGs up to this size are read into memory to try the plain decoder; larger ones go to sharp by path. */
const PLAIN_PNG_BYTES = 16 * 1024 * 1024;
/** Formats decoded as bitmaps; sharp also reads SVG and PDF, which are not photos of anything. */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'heif']);
/** Operating-system litter, skipped without a word. */
const IGNORED = new Set(['thumbs.db', 'desktop.ini', '__macosx']);
const ignored = (name: string): boolean => name.startsWith('.') || IGNORED.has(name.toLowerCase());

interface Candidate { file: string; label: number }
/** format: as the header parser or sharp named it ('png', 'jpeg', …). */
interface Header { format: string; width: number; height: number; gray: boolean }
/** problem: English without the file; coded: the same as a coded message, where it is one. */
interface Problem { file: string; problem: string; coded?: Message }

/** A Problem from a coded import problem (the file filled in). */
function coded(file: string, m: Message): Problem {
  const full = { code: m.code, params: { ...m.params, file } };
  return { file, problem: messageText(full).slice(file.length + 2), coded: full };
}

function fromError(file: string, err: ImportError): Problem {
  return { file, problem: err.problem, coded: err.coded };
}

/**
 * Where the walk of one image folder has been: its real root, and every real folder entered, so a
 * symbolic link is followed only to a place inside the root that the walk has not already been to.
 * A link out of the folder, a loop (a link to a folder above it) or a second way into a folder is
 * refused in one line naming the link: following it would read files the user did not choose or
 * count the same images several times.
 */
interface Walk { root: string; realRoot: string; seen: Map<string, string> }

function startWalk(root: string): Walk {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch (err) {
    throw unreadable(root, err);
  }
  return { root, realRoot, seen: new Map([[realRoot, root]]) };
}

/** What `path` is, following a symbolic link only within the walk's root; undefined for what is neither a file nor a folder. */
function entryKind(walk: Walk, path: string): 'file' | 'dir' | undefined {
  let st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return undefined;
  if (st.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ImportError(path, 'is a symbolic link to something that does not exist; remove the link');
      if (code === 'ELOOP') throw new ImportError(path, 'is a loop of symbolic links; remove the link');
      throw unreadable(path, err);
    }
    const rel = relative(walk.realRoot, real);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new ImportError(path, `is a symbolic link to ${real}, outside ${walk.root}; links are followed only within the folder being imported: copy what it points to into the folder`);
    }
    st = statSync(real);
    if (st.isDirectory()) {
      const before = walk.seen.get(real);
      const above = rel === '' || relative(real, realpathSync(dirname(path))).split(sep)[0] !== '..';
      if (above) throw new ImportError(path, `is a symbolic link to ${before ?? real}, a folder that holds it: a loop; remove the link`);
      if (before !== undefined) throw new ImportError(path, `is a symbolic link to ${before}, which is imported already; remove the link so its images are not counted twice`);
    }
    if (st.isDirectory()) walk.seen.set(real, path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
  }
  if (st.isDirectory()) {
    const real = realpathSync(path);
    const before = walk.seen.get(real);
    if (before !== undefined) throw new ImportError(path, `is the folder ${before}, which is imported already (reached by a link); remove the link so its images are not counted twice`);
    walk.seen.set(real, path);
    return 'dir';
  }
  return st.isFile() ? 'file' : undefined;
}

/** Lists the files under one class folder (recursing, as Keras does), sorted for a stable order. */
function listFiles(walk: Walk, dir: string, depth = 0): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => !ignored(n)).sort();
  } catch (err) {
    throw unreadable(dir, err);
  }
  for (const name of names) {
    const path = join(dir, name);
    const kind = entryKind(walk, path);
    if (kind === 'dir') {
      if (depth >= MAX_DEPTH) throw new ImportError(path, `is nested more than ${MAX_DEPTH} folders deep inside a class folder; flatten the folder`);
      out.push(...listFiles(walk, path, depth + 1));
    } else if (kind === 'file') {
      out.push(path);
    }
  }
  return out;
}

/** The first HEADER_BYTES of a file, read into `buf` (shared: use them before the next read), and whether that is all of it. */
function readHead(file: string, buf: Buffer): { head: Buffer; whole: boolean } {
  const fd = openSync(file, 'r');
  try {
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, n);
    return { head: buf.subarray(0, n), whole: n < buf.length };
  } finally {
    closeSync(fd);
  }
}

/** A whole file if it is at most `max` bytes, else undefined. */
function readSmallFile(file: string, max: number): Buffer | undefined {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > max) return undefined;
    const buf = Buffer.allocUnsafe(size);
    let n = 0;
    for (let got = -1; got !== 0 && n < size; n += got) got = readSync(fd, buf, n, size - n, n);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function bmpSupported(): boolean {
  const magick = sharp.format.magick as { input?: { file?: boolean } } | undefined;
  return magick?.input?.file === true;
}

async function readHeader(file: string, buf: Buffer): Promise<Header | Problem> {
  let isBmp: boolean;
  try {
    const { head, whole } = readHead(file, buf);
    const h = readImageHeader(file, head, whole);
    if (h !== undefined) return h;
    isBmp = head[0] === 0x42 && head[1] === 0x4d;
  } catch (err) {
    return fromError(file, err instanceof ImportError ? err : unreadable(file, err));
  }
  if (isBmp && !bmpSupported()) {
    return { file, problem: 'is a BMP image, which this build of the image decoder cannot read; convert it to PNG (or remove it)' };
  }
  // A format not parsed above (TIFF, HEIF, BMP, or not an image at all), or a header only the decoder can read.
  let m: Metadata;
  try {
    m = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (err) {
    const msg = (err as Error).message;
    if (/unsupported image format/i.test(msg)) return coded(file, importProblem('import.imageNotImage'));
    return coded(file, importProblem('import.imageUnreadable', { detail: msg }));
  }
  if (!ACCEPTED.has(m.format) && !(isBmp && m.format === 'magick')) {
    return { file, problem: `is a ${m.format} file, not a bitmap image (PNG, JPEG, WebP, GIF, TIFF); convert it or remove it` };
  }
  const width = m.autoOrient?.width ?? m.width;
  const height = m.autoOrient?.height ?? m.height;
  if (!(width > 0 && height > 0)) return { file, problem: 'has no width or height in its header; re-save it or remove it' };
  return { format: m.format, width, height, gray: m.channels - (m.hasAlpha ? 1 : 0) === 1 };
}

/** One image as w × h × channels uint8 into `out`; a Problem if it cannot be. */
async function decode(file: string, format: string, out: Uint8Array, w: number, h: number, channels: 1 | 3, maxPixels: number): Promise<Problem | undefined> {
  let input: string | Buffer = file;
  if (format === 'png') {
    let bytes: Buffer | undefined;
    try {
      bytes = readSmallFile(file, PLAIN_PNG_BYTES);
    } catch (err) {
      return fromError(file, unreadable(file, err));
    }
    if (bytes !== undefined && decodePlainPng(bytes, out, w, h, channels)) return undefined;
    input = bytes ?? file;
  }
  try {
    let img = sharp(input, { limitInputPixels: maxPixels, autoOrient: true }).removeAlpha().resize(w, h, { fit: 'fill' });
    img = channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb');
    const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.width !== w || info.height !== h || info.channels !== channels || data.length !== out.length) {
      return { file, problem: `decoded to ${info.width}×${info.height}×${info.channels}, not ${w}×${h}×${channels}; re-save it as PNG or JPEG` };
    }
    out.set(data);
    return undefined;
  } catch (err) {
    return { file, problem: `cannot be decoded (${(err as Error).message}); re-save it or remove it` };
  }
}

/** Runs fn over items with at most `limit` in flight; fn must not throw. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function throwProblems(root: string, problems: Problem[]): never {
  if (problems.length === 1) throw new ImportError(problems[0].file, problems[0].coded ?? problems[0].problem);
  const shown = problems.slice(0, 5).map((p) => `${relative(root, p.file)} ${p.problem.replace(/;.*$/, '')}`);
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  throw new ImportError(root, importProblem('import.imagesProblems', { count: problems.length, list: `${shown.join('; ')}${more}` }));
}

/** The most common width × height; ties go to the one seen first (files are in sorted order). */
function commonSize(headers: Header[]): { width: number; height: number } {
  const counts = new Map<string, number>();
  let best = '';
  for (const h of headers) {
    const key = `${h.width}x${h.height}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (best === '' || n > counts.get(best)!) best = key;
  }
  const [width, height] = best.split('x').map(Number);
  return { width, height };
}

/**
 * Reads root/<class>/<images> into uint8 samples `[count, height, width, channels]` row-major
 * (featureShape [h, w] for grayscale, matching MNIST-like models, [h, w, 3] for RGB); y is the
 * index of the class folder in sorted order. No test split: folders carry none.
 */
export async function readImageFolder(root: string, opts: ImageFolderOptions = {}): Promise<ParsedDataset> {
  const maxPixels = opts.maxPixels ?? MAX_IMAGE_PIXELS;
  const concurrency = Math.max(1, Math.min(8, opts.concurrency ?? 4));
  let entries: string[];
  try {
    entries = readdirSync(root).filter((n) => !ignored(n)).sort();
  } catch (err) {
    throw unreadable(root, err);
  }
  const walk = startWalk(root);
  const classNames = entries.filter((n) => entryKind(walk, join(root, n)) === 'dir');
  if (classNames.length < 2) {
    throw new ImportError(root, classNames.length === 0 ? importProblem('import.imagesNoClasses') : importProblem('import.imagesOneClass', { name: classNames[0] }));
  }

  const candidates: Candidate[] = [];
  for (const [label, name] of classNames.entries()) {
    const files = listFiles(walk, join(root, name));
    if (files.length === 0) throw new ImportError(join(root, name), importProblem('import.imagesEmptyClass'));
    for (const file of files) candidates.push({ file, label });
    if (candidates.length > MAX_FILES) throw new ImportError(root, importProblem('import.imagesTooMany', { max: MAX_FILES }));
  }

  const head = Buffer.allocUnsafe(HEADER_BYTES);
  const headers = await mapLimit(candidates, concurrency, (c) => readHeader(c.file, head));
  const problems: Problem[] = [];
  const good: Header[] = [];
  headers.forEach((h, i) => {
    if ('problem' in h) problems.push(h);
    else if (h.width * h.height > maxPixels) {
      problems.push(coded(candidates[i].file, importProblem('import.imagePixels', { width: h.width, height: h.height, limit: (maxPixels / 1e6).toFixed(0) })));
    } else good.push(h);
  });
  if (problems.length > 0) throwProblems(root, problems);

  const size = opts.size ?? commonSize(good);
  if (!Number.isInteger(size.width) || !Number.isInteger(size.height) || size.width < 1 || size.height < 1 || size.width * size.height > maxPixels) {
    throw new ImportError(root, `cannot be resized to ${size.width}×${size.height}; choose a whole-number size within ${(maxPixels / 1e6).toFixed(0)} megapixels`);
  }
  const channels = opts.channels ?? (good.every((h) => h.gray) ? 1 : 3);
  const { width: w, height: h } = size;
  const sample = w * h * channels;
  if (sample * candidates.length > MAX_INFLATED_BYTES) {
    throw new ImportError(root, importProblem('import.imagesMemory', { size: formatBytes(sample * candidates.length), width: w, height: h, channels }));
  }

  const x = new Uint8Array(sample * candidates.length);
  const y = Int32Array.from(candidates, (c) => c.label);
  // This runs in the importer process, which decodes nothing else: one libvips thread per image
  // (the pool runs several images at once) and no operation cache (every input is new).
  sharp.concurrency(1);
  sharp.cache(false);
  let done = 0;
  opts.onProgress?.(0, candidates.length);
  const failures = await mapLimit(candidates, concurrency, async (c, i) => {
    const problem = await decode(c.file, good[i].format, x.subarray(i * sample, (i + 1) * sample), w, h, channels, maxPixels);
    opts.onProgress?.(++done, candidates.length);
    return problem;
  });
  const decodeProblems = failures.filter((f): f is Problem => f !== undefined);
  if (decodeProblems.length > 0) throwProblems(root, decodeProblems);

  const notes = [`${candidates.length} images in ${classNames.length} classes, as ${w}×${h} ${channels === 1 ? 'grayscale' : 'RGB'}`];
  const resized = good.filter((g) => g.width !== w || g.height !== h).length;
  if (resized > 0) notes.push(`${resized} ${resized === 1 ? 'image of another size was' : 'images of other sizes were'} resized (stretched) to ${w}×${h}`);
  return {
    format: 'images',
    featureShape: channels === 1 ? [h, w] : [h, w, 3],
    classNames,
    train: { x, y, count: candidates.length },
    isImage: true,
    notes,
  };
}
