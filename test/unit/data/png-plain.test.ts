import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { decodePlainPng } from '../../../src-main/data/formats/png-plain.js';
import { pngChunk } from '../../helpers/png.js';

const headers = join(import.meta.dirname, '../../fixtures/images/headers');

/** What images.ts asks sharp for: the reference the plain decoder must equal byte for byte. */
async function viaSharp(bytes: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Buffer | Error> {
  try {
    const img = sharp(bytes, { autoOrient: true }).removeAlpha().resize(width, height, { fit: 'fill' });
    return await (channels === 1 ? img.toColourspace('b-w') : img.toColourspace('srgb')).raw({ depth: 'uchar' }).toBuffer();
  } catch (err) {
    return err as Error;
  }
}

function plain(bytes: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array | undefined {
  const out = new Uint8Array(width * height * channels);
  return decodePlainPng(bytes, out, width, height, channels) ? out : undefined;
}

const chunk = pngChunk;

const BPP: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

interface Png {
  width: number;
  height: number;
  colour: 0 | 2 | 3 | 4 | 6;
  /** Samples, width × height × bytes per pixel; palette indices for colour type 3. */
  pixels: Uint8Array;
  palette: Uint8Array;
  /** Filter type of each row, cycled. */
  filters: number[];
  /** IDAT chunks the zlib stream is split into. */
  parts: number;
  trns: boolean;
  phys: boolean;
}

/** An 8-bit, non-interlaced PNG written here, with every filter type, so both sides see the same bytes. */
function encode(p: Png): Buffer {
  const bpp = BPP[p.colour];
  const rowBytes = p.width * bpp;
  const raw = Buffer.alloc((rowBytes + 1) * p.height);
  const px = (y: number, i: number) => (y < 0 || i < 0 ? 0 : p.pixels[y * rowBytes + i]);
  for (let y = 0; y < p.height; y++) {
    const f = p.filters[y % p.filters.length];
    raw[y * (rowBytes + 1)] = f;
    for (let i = 0; i < rowBytes; i++) {
      const a = px(y, i - bpp);
      const b = px(y - 1, i);
      const c = px(y - 1, i - bpp);
      const q = a + b - c;
      const paeth = Math.abs(q - a) <= Math.abs(q - b) && Math.abs(q - a) <= Math.abs(q - c) ? a : Math.abs(q - b) <= Math.abs(q - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][f];
      raw[y * (rowBytes + 1) + 1 + i] = (px(y, i) - pred) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(p.width, 0);
  ihdr.writeUInt32BE(p.height, 4);
  ihdr[8] = 8;
  ihdr[9] = p.colour;
  const z = deflateSync(raw);
  const cuts = Array.from({ length: p.parts - 1 }, (_, k) => Math.floor((z.length * (k + 1)) / p.parts));
  const idats = [0, ...cuts, z.length].slice(1).map((end, k, ends) => chunk('IDAT', z.subarray(k === 0 ? 0 : ends[k - 1], end)));
  const trns = p.colour === 0 ? Buffer.from([0, 7]) : p.colour === 2 ? Buffer.from([0, 7, 0, 8, 0, 9]) : p.palette.subarray(0, Math.ceil(p.palette.length / 6));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(p.phys ? [chunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1]))] : []),
    ...(p.colour === 3 ? [chunk('PLTE', p.palette)] : []),
    ...(p.trns && p.colour !== 4 && p.colour !== 6 ? [chunk('tRNS', trns)] : []),
    ...idats,
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pngs: fc.Arbitrary<Png> = fc.record({
  width: fc.integer({ min: 1, max: 12 }),
  height: fc.integer({ min: 1, max: 12 }),
  colour: fc.constantFrom(0 as const, 2 as const, 3 as const, 4 as const, 6 as const),
  entries: fc.integer({ min: 1, max: 256 }),
  filters: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }),
  parts: fc.integer({ min: 1, max: 3 }),
  trns: fc.boolean(),
  phys: fc.boolean(),
}).chain((s) => fc.record({
  pixels: fc.uint8Array({ minLength: s.width * s.height * BPP[s.colour], maxLength: s.width * s.height * BPP[s.colour] }),
  palette: fc.uint8Array({ minLength: 3 * s.entries, maxLength: 3 * s.entries }),
}).map(({ pixels, palette }) => ({
  ...s,
  pixels: s.colour === 3 ? pixels.map((v) => v % s.entries) : pixels,
  palette,
})));

describe('plain PNG decoding', () => {
  it('gives sharp\'s bytes for every colour type, filter, IDAT split and ancillary chunk it takes', async () => {
    await fc.assert(fc.asyncProperty(pngs, fc.constantFrom(1 as const, 3 as const), async (p, channels) => {
      const bytes = encode(p);
      const ours = plain(bytes, p.width, p.height, channels);
      const colour = p.colour === 2 || p.colour === 3 || p.colour === 6;
      if (channels === 1 && colour) {
        expect(ours).toBeUndefined(); // colour to gray is sharp's colour conversion
        return;
      }
      expect(ours).toBeDefined();
      expect(Buffer.from(ours!)).toEqual(await viaSharp(bytes, p.width, p.height, channels));
    }), { numRuns: 300 });
  });

  it('copies gray into all three channels, as sharp does, for every value', async () => {
    const pixels = Uint8Array.from({ length: 256 }, (_, i) => i);
    const bytes = encode({ width: 16, height: 16, colour: 0, pixels, palette: new Uint8Array(3), filters: [0, 1, 2, 3, 4], parts: 1, trns: false, phys: false });
    const ours = plain(bytes, 16, 16, 3)!;
    expect(Array.from(ours.subarray(3 * 200, 3 * 201))).toEqual([200, 200, 200]);
    expect(Buffer.from(ours)).toEqual(await viaSharp(bytes, 16, 16, 3));
  });

  it('takes what PIL writes at 8 bits, and leaves the rest to sharp', async () => {
    const taken: string[] = [];
    for (const name of ['gray.png', 'rgb.png', 'rgba.png', 'gray-alpha.png', 'palette.png', 'palette-gray.png', 'palette-trns.png', 'gray16.png', 'bilevel.png', 'exif6.png', 'exif3.png']) {
      const bytes = readFileSync(join(headers, name));
      for (const channels of [1, 3] as const) {
        const ours = plain(bytes, 10, 6, channels);
        if (ours === undefined) continue;
        taken.push(`${name} ${channels}`);
        expect(Buffer.from(ours), `${name} as ${channels}`).toEqual(await viaSharp(bytes, 10, 6, channels));
      }
    }
    // 16 bits, 1 bit, EXIF (which may turn the image) and colour to gray go to sharp.
    expect(taken).toEqual(['gray.png 1', 'gray.png 3', 'rgb.png 3', 'rgba.png 3', 'gray-alpha.png 1', 'gray-alpha.png 3', 'palette.png 3', 'palette-gray.png 3', 'palette-trns.png 3']);
  });

  it('leaves interlaced PNGs, other sizes and text chunks to sharp', async () => {
    const gray = readFileSync(join(headers, 'gray.png'));
    expect(plain(gray, 10, 6, 1)).toBeDefined();
    expect(plain(gray, 6, 10, 1)).toBeUndefined();
    const interlaced = await sharp(gray).png({ progressive: true }).toBuffer();
    expect(interlaced[28]).toBe(1);
    expect(plain(interlaced, 10, 6, 1)).toBeUndefined();
    const iend = gray.length - 12;
    const text = Buffer.concat([gray.subarray(0, 33), chunk('tEXt', Buffer.from('Software\0test', 'latin1')), gray.subarray(33, iend), gray.subarray(iend)]);
    expect(plain(text, 10, 6, 1)).toBeUndefined();
  });

  it('on damaged PNGs, decodes only what sharp decodes, to the same bytes', async () => {
    const damage = fc.record({
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      fixCrc: fc.boolean(),
    });
    await fc.assert(fc.asyncProperty(pngs, damage, fc.constantFrom(1 as const, 3 as const), async (p, { flips, cut, fixCrc }, channels) => {
      let bytes = encode(p);
      for (const [at, v] of flips) bytes[at % bytes.length] = v;
      if (fixCrc) bytes = withFixedChecksums(bytes); // damage the checksums cannot see
      if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      const ours = plain(bytes, p.width, p.height, channels);
      if (ours === undefined) return;
      expect(Buffer.from(ours)).toEqual(await viaSharp(bytes, p.width, p.height, channels));
    }), { numRuns: 400 });
  });
});

/** The same chunks with their CRCs recomputed, as far as the chunk lengths still make sense. */
function withFixedChecksums(b: Buffer): Buffer {
  const out = Buffer.from(b);
  for (let at = 8; at + 12 <= out.length; ) {
    const length = out.readUInt32BE(at);
    if (length > out.length - at - 12) break;
    out.writeUInt32BE(crc32(out.subarray(at + 4, at + 8 + length)) >>> 0, at + 8 + length);
    at += 12 + length;
  }
  return out;
}
