/**
 * Image headers read from a file's first bytes, without the decoder: the format, the size the
 * decoder will show (after the EXIF orientation it applies) and whether it has one colour channel.
 * A header read here costs microseconds; asking sharp costs a libvips pipeline, 100–150 µs even
 * for a 28×28 PNG.
 *
 * What is read here agrees with sharp's metadata() (test/unit/data/image-header.test.ts holds it
 * to that). Where only the decoder can tell, the answer is undefined: ask the decoder. That is a
 * format not parsed here (TIFF, HEIF, anything unknown; BMP, which sharp reads only through
 * ImageMagick, whose channel count for it we cannot predict), a header longer than the bytes given,
 * an EXIF block that is odd or that only the decoder finds (WebP). Where the decoder would
 * certainly refuse the file (a header cut short, a damaged PNG IHDR, a JPEG with no frame) it
 * throws ImportError naming the file.
 */
import { crc32 } from 'node:zlib';
import { ImportError } from '../errors.js';

export type HeaderFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface ImageHeader {
  format: HeaderFormat;
  /** As displayed: width and height are swapped when the EXIF orientation turns the image. */
  width: number;
  height: number;
  /** One colour channel, alpha aside, as the decoder reports it (GIF and WebP never do). */
  gray: boolean;
}

/** Bytes to read from the start of a file: enough for every header parsed here but a JPEG's after a large EXIF/ICC block. */
export const HEADER_BYTES = 64 * 1024;

/** A read past the bytes given: "ask the decoder", or "cut short" when they are the whole file. */
class NeedMore extends Error {}
/** A header the decoder would certainly refuse. */
class Damaged extends Error {}

/** Bounds-checked big/little-endian reads: a read past the end throws NeedMore, never a RangeError. */
class Bytes {
  constructor(readonly b: Uint8Array) {}
  need(end: number): void {
    if (end > this.b.length) throw new NeedMore();
  }
  u8(o: number): number {
    this.need(o + 1);
    return this.b[o];
  }
  u16be(o: number): number {
    this.need(o + 2);
    return (this.b[o] << 8) | this.b[o + 1];
  }
  u16le(o: number): number {
    this.need(o + 2);
    return this.b[o] | (this.b[o + 1] << 8);
  }
  u24le(o: number): number {
    return this.u16le(o) | (this.u8(o + 2) << 16);
  }
  u32be(o: number): number {
    return this.u16be(o) * 0x10000 + this.u16be(o + 2);
  }
  u32le(o: number): number {
    return this.u16le(o) + this.u16le(o + 2) * 0x10000;
  }
  ascii(o: number, n: number): string {
    this.need(o + n);
    let s = '';
    for (let i = o; i < o + n; i++) s += String.fromCharCode(this.b[i]);
    return s;
  }
  startsWith(bytes: readonly number[], at = 0): boolean {
    return at + bytes.length <= this.b.length && bytes.every((v, i) => this.b[at + i] === v);
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const NAMES: Record<HeaderFormat, string> = { png: 'PNG', jpeg: 'JPEG', gif: 'GIF', webp: 'WebP' };

/** Which parser the first bytes call for; undefined for anything else (the decoder decides what it is). */
function formatOf(r: Bytes): HeaderFormat | undefined {
  if (r.startsWith(PNG_SIGNATURE)) return 'png';
  if (r.startsWith([0xff, 0xd8, 0xff])) return 'jpeg';
  if (r.startsWith([0x47, 0x49, 0x46, 0x38]) && (r.startsWith([0x37, 0x61], 4) || r.startsWith([0x39, 0x61], 4))) return 'gif';
  if (r.startsWith([0x52, 0x49, 0x46, 0x46]) && r.startsWith([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return undefined;
}

/**
 * The header of the image whose first bytes are `head`; `whole` says they are the whole file.
 * undefined: ask the decoder. Throws ImportError(file, …) for a header the decoder would refuse.
 */
export function readImageHeader(file: string, head: Uint8Array, whole: boolean): ImageHeader | undefined {
  const r = new Bytes(head);
  const format = formatOf(r);
  if (format === undefined) return undefined;
  try {
    const size = PARSERS[format](r);
    if (size === undefined) return undefined;
    const turned = size.orientation >= 5;
    return { format, width: turned ? size.height : size.width, height: turned ? size.width : size.height, gray: size.gray };
  } catch (err) {
    if (err instanceof NeedMore) {
      if (!whole) return undefined;
      throw new ImportError(file, `is cut short in its ${NAMES[format]} header; re-save it or remove it`);
    }
    if (err instanceof Damaged) throw new ImportError(file, `has a damaged ${NAMES[format]} header (${err.message}); re-save it or remove it`);
    throw err;
  }
}

interface Stored { width: number; height: number; gray: boolean; orientation: number }
const PARSERS: Record<HeaderFormat, (r: Bytes) => Stored | undefined> = { png, jpeg, gif, webp };

/**
 * The EXIF orientation (1–8) in a TIFF-structured EXIF block, read as libvips does: IFD0's
 * Orientation, 1 when there is none. undefined when the block is odd in any way (libexif may read
 * it differently): ask the decoder.
 */
export function exifOrientation(tiff: Uint8Array): number | undefined {
  const r = new Bytes(tiff);
  try {
    const order = r.ascii(0, 2);
    if (order !== 'II' && order !== 'MM') return undefined;
    const u16 = (o: number) => (order === 'II' ? r.u16le(o) : r.u16be(o));
    const u32 = (o: number) => (order === 'II' ? r.u32le(o) : r.u32be(o));
    if (u16(2) !== 42) return undefined;
    const ifd = u32(4);
    const count = u16(ifd);
    r.need(ifd + 2 + 12 * count);
    let orientation: number | undefined = 1;
    let seen = false;
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + 12 * i;
      if (u16(entry) !== 0x0112) continue;
      const value = u16(entry + 8);
      // Once, a SHORT, one of them, 1–8: anything else libexif may fix, drop or pick from.
      orientation = !seen && u16(entry + 2) === 3 && u32(entry + 4) === 1 && value >= 1 && value <= 8 ? value : undefined;
      seen = true;
    }
    return orientation;
  } catch (err) {
    if (err instanceof NeedMore) return undefined;
    throw err;
  }
}

const BIT_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** PNG: IHDR, then the chunks before the first IDAT for an eXIf (libpng reads only those up front). */
function png(r: Bytes): Stored | undefined {
  if (r.u32be(8) !== 13 || r.ascii(12, 4) !== 'IHDR') throw new Damaged('it does not start with IHDR');
  if ((crc32(r.b.subarray(12, 29)) >>> 0) !== r.u32be(29)) throw new Damaged('IHDR checksum mismatch');
  const width = r.u32be(16);
  const height = r.u32be(20);
  const depth = r.u8(24);
  const colour = r.u8(25);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new Damaged(`size ${width}×${height}`);
  if (!BIT_DEPTHS[colour]?.includes(depth) || r.u8(26) !== 0 || r.u8(27) !== 0 || r.u8(28) > 1) {
    throw new Damaged(`colour type ${colour}, bit depth ${depth}`);
  }
  let orientation = 1;
  let exifSeen = false;
  for (let at = 33; ; ) {
    const length = r.u32be(at);
    const type = r.ascii(at + 4, 4);
    if (type === 'IDAT' || type === 'IEND') break;
    if (length > 0x7fffffff) throw new Damaged(`${type} chunk length`);
    r.need(at + 12 + length);
    const data = r.b.subarray(at + 8, at + 8 + length);
    if (type === 'eXIf') {
      // A second one, or one libpng would drop for its checksum: the decoder knows which counts.
      if (exifSeen || (crc32(r.b.subarray(at + 4, at + 8 + length)) >>> 0) !== r.u32be(at + 8 + length)) return undefined;
      exifSeen = true;
      const o = exifOrientation(data);
      if (o === undefined) return undefined;
      orientation = o;
    } else if ((type === 'tEXt' || type === 'zTXt' || type === 'iTXt') && /^Raw profile type (exif|APP1)\0/.test(String.fromCharCode(...data.subarray(0, 23)))) {
      // Newer libvips reads EXIF from ImageMagick's text chunks too.
      return undefined;
    }
    at += 12 + length;
  }
  return { width, height, gray: colour === 0 || colour === 4, orientation };
}

/** Start-of-frame markers: baseline, extended, progressive, lossless; Huffman or arithmetic. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * JPEG: the marker segments up to the start of scan, as libjpeg reads them for the header: the
 * frame header (SOF) for the size and components, an APP1 "Exif" block for the orientation.
 */
function jpeg(r: Bytes): Stored | undefined {
  let frame: Stored | undefined;
  let orientation = 1;
  let exifSeen = false;
  for (let at = 2; ; ) {
    if (r.u8(at) !== 0xff) return undefined; // stray bytes: libjpeg warns and resynchronises; its call
    let marker = r.u8(at + 1);
    while (marker === 0xff) marker = r.u8(++at + 1); // fill bytes
    at += 2;
    if (marker === 0xd9) throw new Damaged('it ends before any image data');
    if (marker === 0xda) {
      if (frame === undefined) throw new Damaged('no frame header before the image data');
      return { ...frame, orientation };
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) return undefined; // markers without a length: odd here
    const length = r.u16be(at);
    if (length < 2) return undefined; // libjpeg reads on after a bogus length; its call
    if (SOF.has(marker)) {
      const height = r.u16be(at + 3);
      const width = r.u16be(at + 5);
      const components = r.u8(at + 7);
      // Two frames, height 0 (set later by a DNL marker), 2 components: the decoder's call.
      if (frame !== undefined || width === 0 || height === 0 || ![1, 3, 4].includes(components)) return undefined;
      frame = { width, height, gray: components === 1, orientation: 1 };
    } else if (marker === 0xe1 && length > 6 && r.ascii(at + 2, 4) === 'Exif') {
      r.need(at + length);
      // Two EXIF blocks, or an odd one: which orientation counts is the decoder's business.
      if (exifSeen || length < 8 || r.u16be(at + 6) !== 0) return undefined;
      exifSeen = true;
      const o = exifOrientation(r.b.subarray(at + 8, at + length));
      if (o === undefined) return undefined;
      orientation = o;
    }
    at += length;
  }
}

/** GIF: the logical screen, which libnsgif resets to 1×1 for sizes it distrusts and lets the first frame grow. */
function gif(r: Bytes): Stored | undefined {
  let width = r.u16le(6);
  let height = r.u16le(8);
  const flags = r.u8(10);
  const distrusted = [[640, 480], [640, 512], [800, 600], [1024, 768], [1280, 1024], [1600, 1200]];
  if (width === 0 || height === 0 || width > 2048 || height > 2048 || distrusted.some(([w, h]) => w === width && h === height)) {
    width = 1;
    height = 1;
  }
  let at = 13 + (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0);
  for (;;) {
    const block = r.u8(at);
    if (block === 0x2c) {
      const right = r.u16le(at + 1) + r.u16le(at + 5);
      const bottom = r.u16le(at + 3) + r.u16le(at + 7);
      return { width: Math.max(width, right), height: Math.max(height, bottom), gray: false, orientation: 1 };
    }
    if (block !== 0x21) return undefined; // the trailer or junk before any frame: the decoder's call
    // An extension: label, then sub-blocks until an empty one.
    at += 2;
    for (let n = r.u8(at); n !== 0; n = r.u8(at)) at += n + 1;
    at += 1;
  }
}

/** WebP: the first chunk, VP8 (lossy), VP8L (lossless) or VP8X (extended: canvas size, flags). Always 3 or 4 channels. */
function webp(r: Bytes): Stored | undefined {
  const chunk = r.ascii(12, 4);
  if (chunk === 'VP8 ') {
    r.need(30);
    if (!r.startsWith([0x9d, 0x01, 0x2a], 23)) throw new Damaged('VP8 start code');
    const width = r.u16le(26) & 0x3fff;
    const height = r.u16le(28) & 0x3fff;
    if (width === 0 || height === 0) throw new Damaged(`size ${width}×${height}`);
    return { width, height, gray: false, orientation: 1 };
  }
  if (chunk === 'VP8L') {
    if (r.u8(20) !== 0x2f) throw new Damaged('VP8L signature');
    const bits = r.u32le(21);
    if (bits >>> 29 !== 0) throw new Damaged('VP8L version');
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, gray: false, orientation: 1 };
  }
  if (chunk === 'VP8X') {
    const flags = r.u8(20);
    if (flags & 0x08) return undefined; // EXIF, usually after the image data: the decoder reads it
    return { width: r.u24le(24) + 1, height: r.u24le(27) + 1, gray: false, orientation: 1 };
  }
  return undefined;
}
