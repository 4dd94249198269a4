/**
 * Bounded reading of a user's files (issue 11, items 2, 10 and 12): only regular files, never past
 * the import budget, a gzip inflated only as far as its own header declares; stale temp folders of
 * killed imports removed at start.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importBudget, inflateDeclared, readInflated, readRegular } from '../../../src-main/data/source.js';
import { idxDeclaredBytes, readIdxBounded } from '../../../src-main/data/formats/idx.js';
import { npyDeclaredBytes, readNpy } from '../../../src-main/data/formats/npy.js';
import { cleanStaleTemps } from '../../../src-main/data/cache/index.js';
import { ImportError } from '../../../src-main/data/errors.js';
import { tempHome } from '../../helpers/home.js';

async function refusal(fn: () => unknown): Promise<ImportError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    return err as ImportError;
  }
  throw new Error('expected a refusal');
}

/** An IDX uint8 header for the given dimensions. */
function idxHeader(dims: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return head;
}

/**
 * A gzip of `members` × 64 MiB of zeros (concatenated members, as gzip allows): 8 GiB inflated
 * from about 8 MiB, more than this test process could hold, so only a reader that stops early
 * answers at all.
 */
function bomb(prefix: Buffer, members: number): Buffer {
  zeros ??= gzipSync(Buffer.alloc(64 << 20), { level: 9 });
  return Buffer.concat([gzipSync(prefix), ...Array.from({ length: members }, () => zeros!)]);
}
let zeros: Buffer | undefined;

describe('reading a user file: regular files only, within the budget', () => {
  const { home: dir, cleanup } = tempHome('source-');
  afterAll(cleanup);

  it('refuses a device, a named pipe and a folder before reading a byte, in one line naming the path', async () => {
    expect((await refusal(() => readRegular('/dev/urandom'))).message).toBe('/dev/urandom: is a device, not a file; save the data to a file and import that');
    const fifo = join(dir, 'pipe.npy');
    execFileSync('mkfifo', [fifo]);
    // Opening a FIFO with no writer would block a plain open forever; this answers at once.
    expect((await refusal(() => readRegular(fifo))).message).toMatch(/pipe\.npy: is a named pipe \(FIFO\), not a file/);
    expect((await refusal(() => readNpy(fifo))).file).toBe(fifo);
    const folder = join(dir, 'folder.npy');
    mkdirSync(folder);
    expect((await refusal(() => readNpy(folder))).message).toMatch(/folder\.npy: is a folder, not a file/);
  });

  it('refuses a file larger than the budget, and LAYERLAB_IMPORT_MAX_MB moves the budget', async () => {
    expect(importBudget({})).toBe(1024 * 2 ** 20);
    expect(importBudget({ LAYERLAB_IMPORT_MAX_MB: '4096' })).toBe(4096 * 2 ** 20);
    expect(importBudget({ LAYERLAB_IMPORT_MAX_MB: 'lots' })).toBe(1024 * 2 ** 20);
    const file = join(dir, 'two-mib.bin');
    writeFileSync(file, Buffer.alloc(2 << 20, 1));
    expect((await refusal(() => readRegular(file, 1 << 20))).message).toMatch(/two-mib\.bin: is 2\.0 MiB, more than the import limit of 1\.0 MiB; raise the limit with LAYERLAB_IMPORT_MAX_MB/);
    expect(readRegular(file, 2 << 20).length).toBe(2 << 20);
  });
});

describe('gzip bombs stop at the size the header declares', () => {
  const { home: dir, cleanup } = tempHome('bomb-');
  afterAll(cleanup);
  let lying: string;
  beforeAll(() => {
    lying = join(dir, 'train-images-idx3-ubyte.gz');
    // Declares ten 28×28 images (7,856 bytes), then inflates to 8 GiB.
    writeFileSync(lying, bomb(idxHeader([10, 28, 28]), 128));
  });

  it('an IDX whose header declares 7,856 bytes is refused at that size, not after 8 GiB', async () => {
    const err = await refusal(() => readIdxBounded(lying));
    expect(err.file).toBe(lying);
    expect(err.message).toMatch(/decompresses to more than the 7856 bytes its header declares; refusing it/);
  });

  it('an honest header declaring more than the budget is refused from the header alone', async () => {
    const honest = join(dir, 'honest.gz');
    writeFileSync(honest, bomb(idxHeader([100_000, 100, 100]), 1));
    expect((await refusal(() => readIdxBounded(honest, 64 << 20))).message).toMatch(/declares 953\.7 MiB of data, more than the import limit of 64\.0 MiB/);
    // Raised budget: the same file is now read to its real (short) end and found truncated.
    expect((await refusal(() => readIdxBounded(honest, 2 ** 30))).message).toMatch(/is truncated/);
  });

  it('with no header to go by, stops at the budget', async () => {
    const raw = bomb(Buffer.from('x'), 16);
    expect((await refusal(() => inflateDeclared('blob.gz', raw, () => undefined, 8 << 20))).message).toMatch(/blob\.gz: decompresses to more than the import limit of 8\.0 MiB/);
  });

  it('an .npy bomb is refused by its header too, and honest gzipped files still read', async () => {
    const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }".padEnd(117, ' ') + '\n';
    const npyHead = Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]), Buffer.from(header, 'latin1')]);
    expect(npyDeclaredBytes({ file: 'a.npy' }, npyHead)).toBe(128 + 4);
    expect(npyDeclaredBytes({ file: 'a.npy' }, npyHead.subarray(0, 40))).toBeUndefined();
    const npyBomb = join(dir, 'x.npy.gz');
    writeFileSync(npyBomb, bomb(npyHead, 128));
    expect((await refusal(() => readNpy(npyBomb))).message).toMatch(/x\.npy\.gz: decompresses to more than the 132 bytes its header declares/);
    const good = join(dir, 'good.npy.gz');
    writeFileSync(good, gzipSync(Buffer.concat([npyHead, Buffer.from([1, 2, 3, 4])])));
    expect(Array.from((await readNpy(good)).data)).toEqual([1, 2, 3, 4]);
    expect(idxDeclaredBytes('i', idxHeader([3, 2]))).toBe(12 + 6);
    const gzIdx = join(dir, 'ok.gz');
    writeFileSync(gzIdx, gzipSync(Buffer.concat([idxHeader([3, 2]), Buffer.from([1, 2, 3, 4, 5, 6])])));
    expect((await readIdxBounded(gzIdx)).shape).toEqual([3, 2]);
    expect((await readInflated(gzIdx, () => undefined)).length).toBe(18);
  });
}, 60_000);

describe('stale temp folders of killed imports', () => {
  it('are removed when their process is gone; a live writer’s is kept', () => {
    const { home, cleanup } = tempHome();
    try {
      const datasets = join(home, 'datasets');
      mkdirSync(datasets, { recursive: true });
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      mkdirSync(join(datasets, `.tmp-${dead}-abc`));
      writeFileSync(join(datasets, `.tmp-${dead}-abc`, 'train-x.bin'), 'half');
      mkdirSync(join(datasets, `.tmp-${process.ppid}-live`));
      mkdirSync(join(datasets, '.tmp-old'));
      expect(cleanStaleTemps(home)).toEqual([`.tmp-${dead}-abc`]);
      expect(cleanStaleTemps(home, Date.now() + 2 * 24 * 3600 * 1000)).toEqual(['.tmp-old']);
      expect(readdirSync(datasets).sort()).toEqual([`.tmp-${process.ppid}-live`]);
      expect(existsSync(join(datasets, `.tmp-${dead}-abc`))).toBe(false);
    } finally {
      cleanup();
    }
  });
});
