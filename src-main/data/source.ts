/**
 * Reading a user's file in the importer, bounded: only regular files (a device, a pipe, a socket
 * or a folder is refused before a byte is read), never more than the import memory budget, and a
 * gzipped file inflated as a stream that stops as soon as it passes what its own header declares
 * (a gzip bomb is refused after its header's worth of bytes, not after inflating everything).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ImportError, importProblem, unreadable } from './errors.js';
import { formatBytes, isGzip } from './gzip.js';

/** The default import memory budget: the most bytes one file may hold or inflate to. */
export const DEFAULT_IMPORT_BUDGET_MB = 1024;
/** The setting that raises (or lowers) it, in MiB; the importer inherits the environment. */
export const BUDGET_VARIABLE = 'LAYERLAB_IMPORT_MAX_MB';

/** The import memory budget in bytes: LAYERLAB_IMPORT_MAX_MB when it is a positive number, else 1 GiB. */
export function importBudget(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[BUDGET_VARIABLE];
  const mb = raw === undefined || raw === '' ? NaN : Number(raw);
  return Math.floor((Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_IMPORT_BUDGET_MB) * 2 ** 20);
}


/** Why a path that is not a regular file cannot be imported, in words. */
function notRegular(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (st.isDirectory()) return 'is a folder, not a file; give a file inside it (or import the folder without --format)';
  if (st.isFIFO()) return 'is a named pipe (FIFO), not a file; save the data to a file and import that';
  if (st.isSocket()) return 'is a socket, not a file; save the data to a file and import that';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a file; save the data to a file and import that';
  return 'is not a regular file; give a file';
}

/**
 * Opens a regular file for reading. O_NONBLOCK so that opening a FIFO cannot hang; the descriptor is
 * checked with fstat, so what is read is what was checked. Refuses anything but a regular file and
 * a file larger than `budget`.
 */
export function openRegular(file: string, budget = importBudget()): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ImportError(file, notRegular(st));
    if (st.size > budget) throw new ImportError(file, importProblem('import.tooLarge', { size: formatBytes(st.size), limit: formatBytes(budget), variable: BUDGET_VARIABLE }));
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The whole of a regular file of at most `budget` bytes (a file that grows while read is cut at its size). */
export function readRegular(file: string, budget = importBudget()): Buffer {
  const { fd, size } = openRegular(file, budget);
  try {
    const out = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      let n: number;
      try {
        n = readSync(fd, out, got, size - got, got);
      } catch (err) {
        throw unreadable(file, err);
      }
      if (n <= 0) break;
      got += n;
    }
    return got === size ? out : out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * What a format's header declares: the total byte length the (inflated) file must have, undefined
 * while `head` is too short to tell. Throws an ImportError for a header that is not the format's.
 */
export type Declared = (head: Buffer) => number | undefined;

/** Headers are asked about only within the first 256 KiB (an .npy header is at most 64 KiB). */
const HEAD_BYTES = 256 << 10;

/**
 * The bytes of a file, gunzipped when it is gzip: inflated as a stream that stops as soon as the
 * output passes the size the header declares (`declared`) or the budget, so a bomb costs at most
 * its declared size in memory and time.
 */
export async function readInflated(file: string, declared: Declared, budget = importBudget()): Promise<Buffer> {
  const raw = readRegular(file, budget);
  if (!isGzip(raw)) return raw;
  return inflateDeclared(file, raw, declared, budget);
}

export function inflateDeclared(file: string, raw: Uint8Array, declared: Declared, budget = importBudget()): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const z = createGunzip();
    const chunks: Buffer[] = [];
    let total = 0;
    let expected: number | undefined;
    let done = false;
    const fail = (err: unknown) => {
      if (done) return;
      done = true;
      z.destroy();
      reject(err);
    };
    z.on('data', (chunk: Buffer) => {
      if (done) return;
      chunks.push(chunk);
      total += chunk.length;
      try {
        if (expected === undefined && total - chunk.length < HEAD_BYTES) {
          expected = declared(chunks.length === 1 ? chunk : Buffer.concat(chunks, total));
          if (expected !== undefined && expected > budget) {
            throw new ImportError(file, importProblem('import.declaresTooMuch', { size: formatBytes(expected), limit: formatBytes(budget), variable: BUDGET_VARIABLE }));
          }
        }
        if (expected !== undefined && total > expected) {
          throw new ImportError(file, importProblem('import.inflatesPastHeader', { expected }));
        }
        if (total > budget) throw new ImportError(file, importProblem('import.inflatesTooMuch', { limit: formatBytes(budget), variable: BUDGET_VARIABLE }));
      } catch (err) {
        fail(err);
      }
    });
    z.on('error', (err) => fail(new ImportError(file, importProblem('import.gzipBad', { detail: err.message }))));
    z.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, total));
    });
    z.end(raw);
  });
}
