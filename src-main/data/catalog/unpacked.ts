/**
 * Catalog IDX files come gzipped (Debian's package, a download); gunzipping Fashion-MNIST's
 * training images costs ~1.1-1.4 s on every run's start. The first read keeps the unpacked bytes in
 * the data folder (`datasets/.unpacked/<folder>/<name>.<gz size>-<gz mtime>`, written to a temp file
 * and renamed), so later runs read them as they are. A changed .gz (another size or mtime) gets a new
 * copy and the old one is removed. Only for the catalog's own files, never a user's; if the folder
 * cannot be written, the bytes are simply used from memory.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipBounded, isGzip } from '../gzip.js';
import type { ReadBytes } from '../formats/idx.js';

/** Where the unpacked copy of a catalog .gz is kept in `dir` (it may not be there yet). */
function keptPath(dir: string, file: string): string {
  const st = statSync(file);
  return join(dir, `${basename(file, '.gz')}.${st.size}-${Math.floor(st.mtimeMs)}`);
}

/** The file's bytes as they are on disk uncompressed: the file itself, or its unpacked copy once made; else null. */
export function plainCopy(dir: string, file: string): string | null {
  if (!file.endsWith('.gz')) return file;
  try {
    const kept = keptPath(dir, file);
    return existsSync(kept) ? kept : null;
  } catch {
    return null;
  }
}

export function unpackedReader(dir: string): ReadBytes {
  return (file: string) => {
    if (!file.endsWith('.gz')) return readFileSync(file);
    const name = basename(file, '.gz');
    const kept = keptPath(dir, file);
    if (existsSync(kept)) return readFileSync(kept);
    const raw = readFileSync(file);
    const bytes = isGzip(raw) ? gunzipBounded(file, raw) : raw;
    try {
      mkdirSync(dir, { recursive: true });
      for (const old of readdirSync(dir)) if (old.startsWith(`${name}.`)) rmSync(join(dir, old), { force: true });
      const tmp = `${kept}.tmp-${process.pid}`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, kept);
    } catch {
      // A read-only data folder: this run unpacks in memory, as before.
    }
    return bytes;
  };
}
