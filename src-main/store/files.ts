/**
 * Durable file writes: data reaches the disk before the name that points at it, and the
 * directory entry itself is flushed, so a crash or power loss leaves the old file or the new
 * one, never a torn one.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * mkdir -p for a folder the user named (the data folder). Node's own `recursive: true` loops
 * forever, at full CPU, where a parent exists yet refuses new entries with ENOENT (/proc/x): this
 * makes each missing folder from the top down, once, and lets the first refusal through.
 */
export function makeFolders(dir: string, mode = 0o700): void {
  try {
    if (statSync(dir).isDirectory()) return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const parent = dirname(dir);
  if (parent !== dir) makeFolders(parent, mode);
  try {
    mkdirSync(dir, { mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Writes a new file (it must not exist) and fsyncs it before closing. */
export function writeNewFileSynced(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a directory's entries (a rename is only durable once its directory is). */
export function fsyncDir(dir: string): void {
  // Windows cannot open a directory for fsync; NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/** A name beside `path` that no other writer picks: `.<name>.tmp-<random>`. */
export function tempNameBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString('hex')}`);
}

/** Replaces `path` atomically: temp file, fsync, rename, fsync the directory. */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temp = tempNameBeside(path);
  try {
    writeNewFileSynced(temp, bytes);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  fsyncDir(dirname(path));
}

/**
 * Writes a new file at `path` durably, refusing to replace one that exists (EEXIST), with no
 * moment where a reader sees half of it: temp file, fsync, hard link (which fails if the name is
 * taken, unlike rename), unlink the temp. Where the file system has no hard links, an exclusive
 * create stands in (still no overwrite; the file is whole once this returns).
 */
export function writeFileNoClobber(path: string, bytes: Uint8Array): void {
  const temp = tempNameBeside(path);
  try {
    writeNewFileSynced(temp, bytes);
    try {
      linkSync(temp, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
      writeNewFileSynced(path, bytes);
    }
  } finally {
    rmSync(temp, { force: true });
  }
  fsyncDir(dirname(path));
}
