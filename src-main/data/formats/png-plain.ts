/**
 * Plain PNGs decoded without libvips. A sharp decode costs ~1 ms of CPU per image even at 28×28
 * (pipeline set-up, not pixels); zlib and one pass over the rows cost ~20 µs. For a folder of small
 * PNGs, which is what MNIST-like datasets are, that was nearly all of the import.
 *
 * "Plain" is narrow on purpose, so that the pixels are exactly what sharp gives for the same file
 * (test/unit/data/png-plain.test.ts compares them): 8 bits per sample, not interlaced, gray, RGB or
 * palette, with or without alpha (which is dropped, as removeAlpha does), at the target size, and
 * no chunk that could change what the decoder shows (no ICC profile, gamma, EXIF, text): only
 * IHDR, PLTE, tRNS, pHYs, IDAT, IEND, each where the spec puts it, every checksum right, the zlib
 * stream exactly the image data. Gray becomes RGB by copying it into the three channels; colour
 * to gray is a colour conversion, left to sharp. Anything else, and any irregularity, is
 * declined: the file goes to sharp, whose verdict stands.
 */
import { crc32, inflateSync } from 'node:zlib';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes per pixel of an 8-bit image, by colour type: gray, RGB, palette, gray+alpha, RGBA. */
const BPP: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

interface Chunks { colour: number; palette?: Uint8Array; data: Uint8Array[] }

/** The chunks of a plain PNG of exactly width × height, or undefined. */
function plainChunks(b: Uint8Array, width: number, height: number): Chunks | undefined {
  if (b.length < 8 || SIGNATURE.some((v, i) => b[i] !== v)) return undefined;
  let out: Chunks | undefined;
  const seen: string[] = [];
  for (let at = 8; at + 12 <= b.length; ) {
    const length = u32(b, at);
    if (length > b.length - at - 12) return undefined;
    const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    const data = b.subarray(at + 8, at + 8 + length);
    if ((crc32(b.subarray(at + 4, at + 8 + length)) >>> 0) !== u32(b, at + 8 + length)) return undefined;
    at += 12 + length;
    if (type === 'IHDR') {
      if (seen.length > 0 || length !== 13 || u32(data, 0) !== width || u32(data, 4) !== height) return undefined;
      // 8 bits, a colour type we copy, compression 0, filter method 0, not interlaced.
      if (data[8] !== 8 || BPP[data[9]] === undefined || data[10] !== 0 || data[11] !== 0 || data[12] !== 0) return undefined;
      out = { colour: data[9], data: [] };
    } else if (out === undefined) {
      return undefined;
    } else if (type === 'IDAT') {
      if (seen.includes('IDAT') && seen.at(-1) !== 'IDAT') return undefined; // IDATs come together
      if (out.colour === 3 && out.palette === undefined) return undefined;
      out.data.push(data);
    } else if (type === 'IEND') {
      return length === 0 && at === b.length && out.data.length > 0 ? out : undefined;
    } else if (seen.includes('IDAT') || seen.includes(type)) {
      return undefined; // everything else comes once, before the image data
    } else if (type === 'PLTE') {
      if (out.colour !== 3 || length === 0 || length % 3 !== 0 || length > 256 * 3) return undefined;
      out.palette = data;
    } else if (type === 'tRNS') {
      // Transparency becomes an alpha channel, which is dropped: only its validity matters.
      const ok = out.colour === 0 ? length === 2 : out.colour === 2 ? length === 6
        : out.colour === 3 && out.palette !== undefined && length >= 1 && length <= out.palette.length / 3;
      if (!ok) return undefined;
    } else if (type === 'pHYs') {
      if (length !== 9) return undefined;
    } else {
      return undefined;
    }
    seen.push(type);
  }
  return undefined; // no IEND
}

/** Undoes the PNG row filters in place; false for an unknown filter type. */
function unfilter(raw: Uint8Array, rowBytes: number, rows: number, bpp: number): boolean {
  const stride = rowBytes + 1;
  for (let y = 0; y < rows; y++) {
    const row = y * stride + 1;
    const prev = row - stride; // only read when y > 0
    const filter = raw[row - 1];
    if (filter === 0) continue;
    if (filter === 1) {
      for (let i = bpp; i < rowBytes; i++) raw[row + i] = (raw[row + i] + raw[row + i - bpp]) & 0xff;
    } else if (filter === 2) {
      if (y > 0) for (let i = 0; i < rowBytes; i++) raw[row + i] = (raw[row + i] + raw[prev + i]) & 0xff;
    } else if (filter === 3) {
      for (let i = 0; i < rowBytes; i++) {
        const left = i >= bpp ? raw[row + i - bpp] : 0;
        const up = y > 0 ? raw[prev + i] : 0;
        raw[row + i] = (raw[row + i] + ((left + up) >> 1)) & 0xff;
      }
    } else if (filter === 4) {
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? raw[row + i - bpp] : 0;
        const b = y > 0 ? raw[prev + i] : 0;
        const c = i >= bpp && y > 0 ? raw[prev + i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        raw[row + i] = (raw[row + i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff;
      }
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Writes the width × height × channels uint8 pixels of a plain PNG of exactly that size into `out`,
 * as sharp gives them after removeAlpha and toColourspace, and returns true; false for anything
 * else (decode it with sharp, which overwrites whatever was written).
 */
export function decodePlainPng(bytes: Uint8Array, out: Uint8Array, width: number, height: number, channels: 1 | 3): boolean {
  const png = plainChunks(bytes, width, height);
  if (png === undefined || out.length !== width * height * channels) return false;
  const gray = png.colour === 0 || png.colour === 4;
  if (channels === 1 && !gray) return false;
  const bpp = BPP[png.colour];
  const rowBytes = width * bpp;
  const expected = (rowBytes + 1) * height;
  let raw: Uint8Array;
  try {
    const z = png.data.length === 1 ? png.data[0] : Buffer.concat(png.data);
    const { buffer, engine } = inflateSync(z, { info: true, maxOutputLength: expected + 1 }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    // Exactly the image, and nothing after the zlib stream (libpng would warn, and sharp fail).
    if (buffer.length !== expected || engine.bytesWritten !== z.length) return false;
    raw = buffer;
  } catch {
    return false; // a damaged or oversized stream: sharp says what is wrong with it
  }
  if (!unfilter(raw, rowBytes, height, bpp)) return false;

  const palette = png.palette;
  const entries = palette === undefined ? 0 : palette.length / 3;
  for (let y = 0, o = 0; y < height; y++) {
    const row = y * (rowBytes + 1) + 1;
    if (bpp === channels) {
      out.set(raw.subarray(row, row + rowBytes), o); // gray to gray, RGB to RGB: the row as it is
      o += rowBytes;
      continue;
    }
    for (let i = row; i < row + rowBytes; i += bpp) {
      if (gray) {
        out[o++] = raw[i];
        if (channels === 3) {
          out[o++] = raw[i];
          out[o++] = raw[i];
        }
      } else if (palette !== undefined) {
        const p = raw[i];
        if (p >= entries) return false; // an index past the palette: libpng complains; sharp's call
        out[o++] = palette[3 * p];
        out[o++] = palette[3 * p + 1];
        out[o++] = palette[3 * p + 2];
      } else {
        out[o++] = raw[i];
        out[o++] = raw[i + 1];
        out[o++] = raw[i + 2];
      }
    }
  }
  return true;
}
