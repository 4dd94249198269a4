import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { exifOrientation, readImageHeader, type ImageHeader } from '../../../src-main/data/formats/image-header.js';
import { ImportError } from '../../../src-main/data/errors.js';

/** Written by test/fixtures/images/make_headers.py: one small file per header layout. */
const dir = join(import.meta.dirname, '../../fixtures/images/headers');
const fixtures = new Map(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n))]));
/** Left to the decoder: formats not parsed here, and a WebP whose EXIF comes after the image data. */
const ASK_DECODER = new Set(['gray.tif', 'rgb.bmp', 'exif6.webp']);

/** What images.ts would take from sharp for the same bytes, or the error sharp gives. */
async function fromSharp(bytes: Uint8Array): Promise<ImageHeader | Error> {
  try {
    const m = await sharp(bytes, { limitInputPixels: false }).metadata();
    const format = m.format as ImageHeader['format'];
    return { format, width: m.autoOrient.width, height: m.autoOrient.height, gray: m.channels - (m.hasAlpha ? 1 : 0) === 1 };
  } catch (err) {
    return err as Error;
  }
}

/** A header, undefined ("ask the decoder"), or an ImportError naming the file; anything else is a bug. */
function outcome(bytes: Uint8Array, whole: boolean): ImageHeader | undefined | ImportError {
  try {
    return readImageHeader('fuzz.img', bytes, whole);
  } catch (err) {
    if (err instanceof ImportError && err.file === 'fuzz.img') return err;
    throw err;
  }
}

const rejects = (file: string, bytes: Uint8Array, message: RegExp): void => {
  let err: unknown;
  try {
    readImageHeader(file, bytes, true);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ImportError);
  expect((err as ImportError).file).toBe(file);
  expect((err as Error).message).toMatch(message);
};

describe('image headers', () => {
  it('reads what sharp reads, for every layout in the fixtures', async () => {
    expect(fixtures.size).toBeGreaterThan(30);
    for (const [name, bytes] of fixtures) {
      const ours = readImageHeader(name, bytes, true);
      if (ASK_DECODER.has(name)) expect(ours, name).toBeUndefined();
      else expect({ name, ...ours }).toEqual({ name, ...(await fromSharp(bytes)) });
    }
  });

  it('turns the size with the EXIF orientation, as the decoder will', () => {
    const size = (name: string) => {
      const h = readImageHeader(name, fixtures.get(name)!, true)!;
      return `${h.width}×${h.height}`;
    };
    expect(['exif1.jpg', 'exif3.jpg', 'exif6.jpg', 'exif8.jpg', 'exif3.png', 'exif6.png'].map(size))
      .toEqual(['10×6', '10×6', '6×10', '6×10', '10×6', '6×10']);
    // libnsgif's screen rules: a distrusted 640×480 and a too-small screen give the frame's size.
    expect(['screen-640x480.gif', 'screen-small.gif', 'screen-large.gif'].map(size)).toEqual(['10×6', '10×6', '30×20']);
  });

  it('asks the decoder when the bytes given end early, and says "cut short" when they are the whole file', () => {
    for (const [name, bytes] of fixtures) {
      const full = readImageHeader(name, bytes, true);
      for (let n = 0; n < bytes.length; n++) {
        const part = bytes.subarray(0, n);
        const partial = outcome(part, false);
        if (partial !== undefined) expect(partial, `${name} first ${n} bytes`).toEqual(full);
        const whole = outcome(part, true);
        if (whole instanceof ImportError) expect(whole.message).toMatch(/cut short|damaged/);
        else if (whole !== undefined) expect(whole, `${name} cut to ${n} bytes`).toEqual(full);
      }
    }
  });

  it('names a damaged header: PNG checksum, JPEG without a frame, WebP start code', () => {
    const png = Buffer.from(fixtures.get('gray.png')!);
    png[17] ^= 1; // width, under the IHDR checksum
    rejects('a.png', png, /^a\.png: has a damaged PNG header \(IHDR checksum mismatch\); re-save it or remove it$/);
    rejects('b.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xd9]), /^b\.jpg: has a damaged JPEG header \(it ends before any image data\)/);
    const webp = Buffer.from(fixtures.get('lossy.webp')!);
    webp[23] = 0;
    rejects('c.webp', webp, /^c\.webp: has a damaged WebP header \(VP8 start code\)/);
    rejects('d.png', fixtures.get('gray.png')!.subarray(0, 20), /^d\.png: is cut short in its PNG header; re-save it or remove it$/);
  });

  it('reads a decompression bomb\'s claimed size without decoding anything', () => {
    const png = Buffer.from(fixtures.get('gray.png')!);
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
    expect(readImageHeader('bomb.png', png, true)).toEqual({ format: 'png', width: 100_000, height: 100_000, gray: true });
    const jpeg = Buffer.from(fixtures.get('rgb.jpg')!);
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(60_000, sof + 5);
    jpeg.writeUInt16BE(60_000, sof + 7);
    expect(readImageHeader('bomb.jpg', jpeg, true)).toEqual({ format: 'jpeg', width: 60_000, height: 60_000, gray: false });
  });

  it('reads the EXIF orientation from IFD0 in either byte order, and gives up on anything odd', () => {
    const tiff = (le: boolean, entries: Array<[tag: number, type: number, count: number, value: number]>): Uint8Array => {
      const b = Buffer.alloc(8 + 2 + 12 * entries.length + 4);
      b.write(le ? 'II' : 'MM', 0, 'latin1');
      const u16 = (v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
      const u32 = (v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
      u16(42, 2);
      u32(8, 4);
      u16(entries.length, 8);
      entries.forEach(([tag, type, count, value], i) => {
        u16(tag, 10 + 12 * i);
        u16(type, 12 + 12 * i);
        u32(count, 14 + 12 * i);
        u16(value, 18 + 12 * i);
      });
      return b;
    };
    expect(exifOrientation(tiff(true, [[0x010f, 2, 4, 0], [0x0112, 3, 1, 6]]))).toBe(6);
    expect(exifOrientation(tiff(false, [[0x0112, 3, 1, 8]]))).toBe(8);
    expect(exifOrientation(tiff(true, [[0x010f, 2, 4, 0]]))).toBe(1); // none: not turned
    expect(exifOrientation(tiff(true, [[0x0112, 4, 1, 6]]))).toBeUndefined(); // a LONG
    expect(exifOrientation(tiff(true, [[0x0112, 3, 1, 9]]))).toBeUndefined(); // out of range
    expect(exifOrientation(tiff(true, [[0x0112, 3, 1, 6]]).subarray(0, 20))).toBeUndefined(); // cut short
    expect(exifOrientation(Buffer.from('Exif\0\0II*\0'))).toBeUndefined();
  });
});

const parsed = [...fixtures].filter(([n]) => !ASK_DECODER.has(n)).map(([, b]) => b);
const mutation = fc.record({
  seed: fc.nat(parsed.length - 1),
  // Most flips land in the first 64 bytes, where the headers are.
  flips: fc.array(fc.tuple(fc.oneof(fc.nat(63), fc.nat()), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
});
function mutate({ seed, flips, cut }: { seed: number; flips: Array<[number, number]>; cut: number | undefined }): Buffer {
  const bytes = Buffer.from(parsed[seed]);
  for (const [at, v] of flips) bytes[at % bytes.length] = v;
  return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
}

describe('image headers: any bytes give a header, undefined or an ImportError', () => {
  it('random bytes, behind each format\'s magic or none', () => {
    const magic = fc.constantFrom(
      [], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
      [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x4c], [0x42, 0x4d],
    );
    fc.assert(fc.property(magic, fc.uint8Array({ maxLength: 200 }), fc.boolean(), (m, rest, whole) => {
      outcome(Buffer.concat([Buffer.from(m), rest]), whole);
    }), { numRuns: 2000 });
  });

  it('fixtures with bytes overwritten or cut short', () => {
    fc.assert(fc.property(mutation, fc.boolean(), (m, whole) => {
      outcome(mutate(m), whole);
    }), { numRuns: 2000 });
  });

  it('agrees with sharp on damaged files: refuses only what sharp cannot decode, and reads the same size', async () => {
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const bytes = mutate(m);
      const ours = outcome(bytes, true);
      if (ours === undefined) return;
      const theirs = await fromSharp(bytes);
      if (ours instanceof ImportError) {
        // sharp's metadata() ignores checksums that its decoder (failOn: 'warning') does not.
        const decoded = theirs instanceof Error ? theirs : await sharp(bytes).raw().toBuffer().catch((err: Error) => err);
        expect(decoded, ours.message).toBeInstanceOf(Error);
      } else if (!(theirs instanceof Error)) {
        expect(ours).toEqual(theirs);
      }
    }), { numRuns: 400 });
  });
});
