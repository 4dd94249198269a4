import { describe, it, expect } from 'vitest';
import { cpSync, mkdirSync, rmSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { pngChunk } from '../../helpers/png.js';
import sharp from 'sharp';
import { readImageFolder } from '../../../src-main/data/formats/images.js';
import { ImportError } from '../../../src-main/data/errors.js';
import { messageText } from '../../../src-main/shared/messages.js';

const fixtures = join(import.meta.dirname, '../../fixtures/images');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, { sum: number; row2?: number[]; pixel_1_2?: number[] }>;

/** A copy of a fixture folder we may add files to. */
function copy(name: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'images-')), name);
  cpSync(join(fixtures, name), dir, { recursive: true });
  return dir;
}

/** A valid tiny PNG whose IHDR claims width × height: decoders must trust the header to refuse it. */
function pngClaiming(width: number, height: number): Buffer {
  const chunk = pngChunk;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 = gray
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(width + 1 > 1e5 ? 1 : width + 1))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

async function refuses(p: Promise<unknown>, file: string, message: RegExp): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImportError);
  expect((err as ImportError).file).toBe(file);
  expect((err as Error).message).toMatch(message);
  // Coded (so a page says it in the user's language): the same English from the code and its parameters.
  const coded = (err as ImportError).coded;
  if (coded) expect(messageText(coded)).toBe((err as Error).message);
}

describe('image folders', () => {
  it('reads grayscale PNGs at the most common size, classes sorted, pixels as written', async () => {
    const progress: Array<[number, number]> = [];
    const d = await readImageFolder(join(fixtures, 'gray'), { onProgress: (done, total) => progress.push([done, total]) });
    expect(d.format).toBe('images');
    expect(d.isImage).toBe(true);
    expect(d.classNames).toEqual(['circle', 'square']);
    expect(d.featureShape).toEqual([6, 8]);
    expect(d.train.count).toBe(6);
    expect(Array.from(d.train.y)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(d.train.x.length).toBe(6 * 6 * 8);
    // Files sort as 0.png, 1.png, 2.png | 0.png, 1.png, big.png: sample 4 is square/1.png, unresized.
    const first = d.train.x.subarray(0, 48);
    expect(sum(first)).toBe(expected['gray/circle/0.png'].sum);
    expect(Array.from(first.subarray(16, 24))).toEqual(expected['gray/circle/0.png'].row2);
    expect(sum(d.train.x.subarray(4 * 48, 5 * 48))).toBe(expected['gray/square/1.png'].sum);
    expect(d.notes.join()).toMatch(/1 image of another size was resized \(stretched\) to 8×6/);
    expect(progress.at(-1)).toEqual([6, 6]);
    expect(progress.map((p) => p[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('reads JPEG, WebP, GIF and RGBA PNG as RGB when any image has colour, ignoring OS litter', async () => {
    const root = copy('mixed');
    writeFileSync(join(root, 'red', '.DS_Store'), 'Bud1');
    writeFileSync(join(root, 'blue', 'Thumbs.db'), 'junk');
    mkdirSync(join(root, '__MACOSX'));
    writeFileSync(join(root, '__MACOSX', '._photo.jpg'), 'junk');
    const d = await readImageFolder(root, { concurrency: 2 });
    expect(d.classNames).toEqual(['blue', 'red']);
    expect(d.featureShape).toEqual([6, 8, 3]);
    expect(d.train.count).toBe(5);
    // blue/: alpha.png, anim.gif, web.webp (lossless): sample 2 is exactly the pixels numpy wrote.
    const webp = d.train.x.subarray(2 * 144, 3 * 144);
    expect(sum(webp)).toBe(expected['mixed/blue/web.webp'].sum);
    expect(Array.from(webp.subarray((1 * 8 + 2) * 3, (1 * 8 + 2) * 3 + 3))).toEqual(expected['mixed/blue/web.webp'].pixel_1_2);
    // The RGBA PNG holds the same RGB under its alpha: dropping alpha keeps it.
    expect(Array.from(d.train.x.subarray(0, 144))).toEqual(Array.from(webp));
  });

  it('honours channels and size options', async () => {
    const d = await readImageFolder(join(fixtures, 'mixed'), { channels: 1, size: { width: 4, height: 3 } });
    expect(d.featureShape).toEqual([3, 4]);
    expect(d.train.x.length).toBe(5 * 12);
    const rgb = await readImageFolder(join(fixtures, 'gray'), { channels: 3 });
    expect(rgb.featureShape).toEqual([6, 8, 3]);
    await refuses(readImageFolder(join(fixtures, 'gray'), { size: { width: 0, height: 3 } }), join(fixtures, 'gray'), /cannot be resized to 0×3/);
  });

  it('names a file that is not an image', async () => {
    await refuses(readImageFolder(join(fixtures, 'bad')), join(fixtures, 'bad', 'a', 'notes.txt'),
      /notes\.txt: not an image \(unrecognised format\); remove it or move it out of the class folders$/);
  });

  it('reads BMP when the decoder can, else names the file as unsupported', async () => {
    const root = join(fixtures, 'bmp');
    const magick = sharp.format.magick as { input?: { file?: boolean } } | undefined;
    if (magick?.input?.file === true) {
      expect((await readImageFolder(root)).train.count).toBe(2);
    } else {
      await refuses(readImageFolder(root), join(root, 'a', '0.bmp'), /is a BMP image, which this build of the image decoder cannot read; convert it to PNG/);
    }
  });

  it('lists several bad files in one error', async () => {
    const root = copy('bad');
    writeFileSync(join(root, 'b', 'labels.csv'), 'a,b\n');
    await refuses(readImageFolder(root), root, /has 2 files that cannot be imported: a\/notes\.txt not an image \(unrecognised format\); b\/labels\.csv not an image/);
  });

  it('refuses a PNG whose header claims 60000×60000 without decoding it', async () => {
    const root = copy('bad');
    rmSync(join(root, 'a', 'notes.txt'));
    const big = join(root, 'a', 'huge.png');
    writeFileSync(big, pngClaiming(60000, 60000));
    await refuses(readImageFolder(root), big, /is 60000×60000 pixels, more than the 50-megapixel limit; shrink it or remove it/);
    await refuses(readImageFolder(join(fixtures, 'gray'), { maxPixels: 100 }), join(fixtures, 'gray', 'square', 'big.png'), /is 12×10 pixels/);
  });

  it('refuses a JPEG, WebP or GIF whose header claims too many pixels, without decoding it', async () => {
    const headers = join(fixtures, 'headers');
    const jpeg = readFileSync(join(headers, 'rgb.jpg'));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(60000, sof + 5);
    jpeg.writeUInt16BE(60000, sof + 7);
    const webp = readFileSync(join(headers, 'alpha.webp'));
    expect(webp.toString('latin1', 12, 16)).toBe('VP8X');
    webp.writeUIntLE(16382, 24, 3);
    webp.writeUIntLE(16382, 27, 3);
    const gif = readFileSync(join(headers, 'rgb.gif'));
    const frame = 13 + 3 * 2 ** ((gif[10] & 7) + 1); // the image descriptor, after the global colour table
    expect(gif[frame]).toBe(0x2c);
    gif.writeUInt16LE(65535, frame + 5);
    gif.writeUInt16LE(65535, frame + 7);
    for (const [name, bytes, size] of [['huge.jpg', jpeg, '60000×60000'], ['huge.webp', webp, '16383×16383'], ['huge.gif', gif, '65535×65535']] as const) {
      const root = copy('bad');
      rmSync(join(root, 'a', 'notes.txt'));
      writeFileSync(join(root, 'a', name), bytes);
      await refuses(readImageFolder(root), join(root, 'a', name), new RegExp(`is ${size} pixels, more than the 50-megapixel limit`));
    }
  });

  it('sizes JPEGs as their EXIF orientation shows them', async () => {
    const root = copy('bad');
    rmSync(join(root, 'a', 'notes.txt'));
    for (const cls of ['a', 'b']) {
      rmSync(join(root, cls, '0.png'));
      cpSync(join(fixtures, 'headers', 'exif6.jpg'), join(root, cls, 'turned.jpg')); // 10×6 stored, 6×10 shown
    }
    cpSync(join(fixtures, 'headers', 'rgb.jpg'), join(root, 'b', 'plain.jpg'));
    const d = await readImageFolder(root);
    expect(d.featureShape).toEqual([10, 6, 3]);
    expect(d.notes.join()).toMatch(/1 image of another size was resized \(stretched\) to 6×10/);
  });

  it('names a file whose header is damaged or cut short', async () => {
    const root = copy('gray');
    const file = join(root, 'circle', '1.png');
    const png = readFileSync(file);
    png[17] ^= 1; // width, under the IHDR checksum
    writeFileSync(file, png);
    await refuses(readImageFolder(root), file, /1\.png: has a damaged PNG header \(IHDR checksum mismatch\); re-save it or remove it$/);
    writeFileSync(file, png.subarray(0, 20));
    await refuses(readImageFolder(root), file, /1\.png: is cut short in its PNG header; re-save it or remove it$/);
  });

  it('names a file that fails to decode', async () => {
    const root = copy('gray');
    const file = join(root, 'circle', '1.png');
    const png = readFileSync(file);
    writeFileSync(file, png.subarray(0, png.length - 20));
    await refuses(readImageFolder(root), file, /cannot be decoded/);
  });

  it('refuses an empty class folder, a single class, and no class folders, naming the folder', async () => {
    const root = copy('gray');
    mkdirSync(join(root, 'triangle'));
    writeFileSync(join(root, 'triangle', '.DS_Store'), 'x');
    await refuses(readImageFolder(root), join(root, 'triangle'), /has no images; every class folder needs at least one/);
    const one = mkdtempSync(join(tmpdir(), 'one-'));
    cpSync(join(fixtures, 'gray', 'circle'), join(one, 'circle'), { recursive: true });
    await refuses(readImageFolder(one), one, /only one class sub-folder \(circle\); an image dataset needs one sub-folder per class, at least 2/);
    const none = mkdtempSync(join(tmpdir(), 'none-'));
    cpSync(join(fixtures, 'gray', 'circle', '0.png'), join(none, '0.png'));
    await refuses(readImageFolder(none), none, /has no class sub-folders/);
    await refuses(readImageFolder(join(none, 'missing')), join(none, 'missing'), /does not exist; check the path/);
  });
});

describe('image folders with symbolic links (issue 11, item 4)', () => {
  /** The gray fixture (circle/, square/) with links added by `add`, and the ImportError the import ends in, if any. */
  async function withLinks(add: (dir: string) => void): Promise<{ dir: string; err?: ImportError; count?: number }> {
    const dir = copy('gray');
    add(dir);
    try {
      const d = await readImageFolder(dir);
      return { dir, count: d.train.count };
    } catch (err) {
      expect(err).toBeInstanceOf(ImportError);
      expect((err as Error).message.split('\n')).toHaveLength(1);
      return { dir, err: err as ImportError };
    }
  }

  it('refuses a loop (a link to a folder above it) in one line naming the link, whatever its depth', async () => {
    const self = await withLinks((d) => symlinkSync('.', join(d, 'circle', 'l1')));
    expect(self.err?.file).toBe(join(self.dir, 'circle', 'l1'));
    expect(self.err?.message).toMatch(/is a symbolic link to .*circle, a folder that holds it: a loop; remove the link/);
    const deep = await withLinks((d) => {
      mkdirSync(join(d, 'square', 'a', 'b'), { recursive: true });
      symlinkSync('../../..', join(d, 'square', 'a', 'b', 'up'));
    });
    expect(deep.err?.message).toMatch(/up: is a symbolic link to .*, a folder that holds it: a loop/);
  });

  it('refuses a link that leads out of the folder (to /etc) and a second way into a class', async () => {
    const out = await withLinks((d) => symlinkSync('/etc', join(d, 'circle', 'etc')));
    expect(out.err?.file).toBe(join(out.dir, 'circle', 'etc'));
    expect(out.err?.message).toMatch(/is a symbolic link to \/etc, outside .*; links are followed only within the folder being imported/);
    const outFile = await withLinks((d) => symlinkSync('/etc/passwd', join(d, 'square', 'passwd.png')));
    expect(outFile.err?.message).toMatch(/passwd\.png: is a symbolic link to \/etc\/passwd, outside/);
    const twice = await withLinks((d) => symlinkSync(join(d, 'square'), join(d, 'circle', 'more')));
    expect(twice.err?.message).toMatch(/more: is a symbolic link to .*square, which is imported already/);
    const cycle = await withLinks((d) => { symlinkSync('b', join(d, 'circle', 'a')); symlinkSync('a', join(d, 'circle', 'b')); });
    expect(cycle.err?.message).toMatch(/circle\/a: is a loop of symbolic links; remove the link/);
  });

  it('follows a link to an image inside the folder', async () => {
    const inside = await withLinks((d) => symlinkSync(join(d, 'square', '0.png'), join(d, 'circle', 'linked.png')));
    expect(inside.err).toBeUndefined();
    expect(inside.count).toBe(7);
  });
});
