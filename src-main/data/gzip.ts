/** Bounded decompression: a gzip or zip bomb is refused before it fills memory. */
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { ImportError, importProblem } from './errors.js';

/** Largest decompressed size we accept for one member or file (4 GiB would not fit a typed array anyway). */
export const MAX_INFLATED_BYTES = 2 ** 31 - 1;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function gunzipBounded(file: string, bytes: Uint8Array, maxBytes = MAX_INFLATED_BYTES): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/.test(e.message)) {
      throw new ImportError(file, importProblem('import.gzipBomb', { limit: formatBytes(maxBytes) }));
    }
    throw new ImportError(file, importProblem('import.gzipBad', { detail: e.message }));
  }
}

export function inflateRawBounded(file: string, bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return inflateRawSync(bytes, { maxOutputLength: Math.max(1, maxBytes) });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/.test(e.message)) {
      throw new ImportError(file, `a member decompresses to more than its declared ${formatBytes(maxBytes)}; refusing it`);
    }
    throw new ImportError(file, `has a corrupt compressed member (${e.message})`);
  }
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} bytes`;
}
