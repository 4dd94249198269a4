/**
 * Writing a parsed dataset into the cache, all or nothing: every file goes into
 * <home>/datasets/.tmp-<pid>-<random>/, is fsynced, and the folder is renamed into cache/<id> last.
 * Any failure removes the temp folder, so the cache never holds half a dataset.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { featureSize } from '../../shared/dataset.js';
import { DatasetError, writeFailure } from '../errors.js';
import type { ParsedDataset, ParsedSplit, SourceFormat } from '../formats/types.js';
import { CACHE_VERSION, FILES, ManifestSchema, cacheDir, datasetsDir, type Manifest } from './manifest.js';
import { listDatasets } from './read.js';

export interface CacheMeta {
  name: string;
  /** The user's file or folder (or a 'synthetic:…' description). */
  sourcePath: string;
  format: SourceFormat;
  /** data/content-key.ts: how a later import of the same thing finds this one. */
  contentKey?: string;
}

/** Defaults recorded in the manifest; a run's TrainingSpec may choose others. */
const DEFAULT_VALIDATION_SPLIT = 0.2;
const DEFAULT_SPLIT_SEED = 42;

/** Writes `parsed` into the cache and returns its manifest (an earlier one of the same content key, if any). */
export async function writeDatasetCache(home: string, parsed: ParsedDataset, meta: CacheMeta): Promise<Manifest> {
  return (await writeDatasetCacheOnce(home, parsed, meta)).manifest;
}

/**
 * Writes `parsed` into the cache. With a content key, the last step (look for a dataset of that
 * key, else rename the temp folder into place) runs under the data folder's commit lock, so two
 * imports of the same file at once (two pages, the app and the CLI) make one dataset: the second
 * removes its temp folder and answers the first's, `reused: true`.
 */
export async function writeDatasetCacheOnce(home: string, parsed: ParsedDataset, meta: CacheMeta): Promise<{ manifest: Manifest; reused: boolean }> {
  const size = featureSize(parsed.featureShape);
  const dtype = checkSplit('train', parsed.train, size, parsed.classNames.length);
  if (parsed.test && checkSplit('test', parsed.test, size, parsed.classNames.length) !== dtype) {
    throw new DatasetError('train and test features have different element types');
  }
  const sourceSha256 = parsed.sourceSha256 ?? await hashIfFile(meta.sourcePath);
  const isImage = parsed.isImage ?? (parsed.format === 'images' || parsed.format === 'idx');
  const id = newId(home, meta.name);
  const checked = ManifestSchema.safeParse({
    layerlabCache: CACHE_VERSION,
    id, name: meta.name.slice(0, 200), sourcePath: meta.sourcePath, sourceSha256, format: meta.format,
    ...(meta.contentKey ? { contentKey: meta.contentKey } : {}),
    createdAt: new Date().toISOString(),
    sampleCount: parsed.train.count + (parsed.test?.count ?? 0),
    featureShape: parsed.featureShape,
    ...(parsed.featureNames && parsed.featureNames.length === size ? { featureNames: parsed.featureNames } : {}),
    dtype, scale: dtype === 'uint8' && isImage ? 1 / 255 : 1, isImage,
    classNames: parsed.classNames,
    train: splitInfo(parsed.train, parsed.classNames.length),
    ...(parsed.test ? { test: splitInfo(parsed.test, parsed.classNames.length) } : {}),
    split: { validation: 'from-train', defaultValidationSplit: DEFAULT_VALIDATION_SPLIT, defaultSplitSeed: DEFAULT_SPLIT_SEED, test: parsed.test ? 'source' : 'none' },
    notes: parsed.notes,
  });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new DatasetError(`cannot cache this dataset: ${issue.path.join('.')}: ${issue.message}`);
  }
  const manifest: Manifest = checked.data;

  try {
    mkdirSync(datasetsDir(home), { recursive: true });
  } catch (err) {
    throw writeFailure(datasetsDir(home), err, 'cannot create the datasets folder');
  }
  // The writer's pid in the name: a folder left by a killed importer is known stale (cleanStaleTemps).
  let tmp: string;
  try {
    tmp = mkdtempSync(join(datasetsDir(home), `.tmp-${process.pid}-`));
  } catch (err) {
    throw writeFailure(datasetsDir(home), err, 'cannot write the imported dataset there');
  }
  try {
    writeFileSynced(join(tmp, FILES.trainX), parsed.train.x);
    writeFileSynced(join(tmp, FILES.trainY), parsed.train.y);
    if (parsed.test) {
      writeFileSynced(join(tmp, FILES.testX), parsed.test.x);
      writeFileSynced(join(tmp, FILES.testY), parsed.test.y);
    }
    writeFileSynced(join(tmp, FILES.manifest), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    syncDir(tmp);
    mkdirSync(cacheDir(home), { recursive: true });
    const earlier = withCommitLock(home, () => {
      const found = meta.contentKey ? listDatasets(home).find((m) => m.contentKey === meta.contentKey) : undefined;
      if (!found) renameSync(tmp, join(cacheDir(home), id));
      return found;
    });
    if (earlier) {
      rmSync(tmp, { recursive: true, force: true });
      return { manifest: earlier, reused: true };
    }
    syncDir(cacheDir(home));
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw writeFailure(datasetsDir(home), err, 'cannot write the imported dataset there');
  }
  return { manifest, reused: false };
}

const LOCK_WAIT_MS = 30_000;

/**
 * Runs `fn` (a few file-system calls) holding <home>/datasets/.commit-lock, a folder made with
 * mkdir (atomic across processes) holding the holder's pid. A lock whose holder is gone is
 * taken over; one held past LOCK_WAIT_MS is an error naming the folder.
 */
export function withCommitLock<T>(home: string, fn: () => T): T {
  const lock = join(datasetsDir(home), '.commit-lock');
  const started = Date.now();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try { holder = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being made or being removed */ }
    const age = (() => { try { return Date.now() - statSync(lock).mtimeMs; } catch { return 0; } })();
    if ((Number.isInteger(holder) && holder > 0 && !alive(holder)) || (Number.isNaN(holder) && age > 5_000)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > LOCK_WAIT_MS) {
      throw new DatasetError(`${lock} has been held by process ${holder} for over ${LOCK_WAIT_MS / 1000} s; if no Layerlab is importing, remove that folder`);
    }
    Atomics.wait(pause, 0, 0, 10);
  }
  try {
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Checks lengths and labels; returns the dtype. Cheap next to parsing, and it keeps bad data out. */
function checkSplit(which: string, s: ParsedSplit, size: number, classes: number): 'uint8' | 'float32' {
  if (!Number.isInteger(s.count) || s.count < 0) throw new DatasetError(`${which} split: count ${s.count} is not a sample count`);
  if (s.x.length !== s.count * size) throw new DatasetError(`${which} split: ${s.x.length} feature values, expected ${s.count} × ${size}`);
  if (s.y.length !== s.count) throw new DatasetError(`${which} split: ${s.y.length} labels for ${s.count} samples`);
  for (let i = 0; i < s.y.length; i++) {
    if (s.y[i] < 0 || s.y[i] >= classes) throw new DatasetError(`${which} split: sample ${i} has label ${s.y[i]}, outside 0..${classes - 1}`);
  }
  return s.x instanceof Uint8Array ? 'uint8' : 'float32';
}

function splitInfo(s: ParsedSplit, classes: number): { count: number; classCounts: number[] } {
  const classCounts = new Array<number>(classes).fill(0);
  for (let i = 0; i < s.count; i++) classCounts[s.y[i]]++;
  return { count: s.count, classCounts };
}

/** A readable, unique folder name: 'iris-3fa9c2'. */
function newId(home: string, name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dataset';
  for (;;) {
    const id = `${slug}-${randomBytes(3).toString('hex')}`;
    if (!existsSync(join(cacheDir(home), id))) return id;
  }
}

/** Streams a regular file through sha256; null for folders and non-files ('synthetic:…'). */
async function hashIfFile(path: string): Promise<string | null> {
  try {
    if (!statSync(path).isFile()) return null;
  } catch {
    return null;
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Little-endian bytes of a typed array (a copy only on big-endian hosts). */
function leBytes(a: Uint8Array | Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (a instanceof Uint8Array || endianness() === 'LE') return bytes;
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (a instanceof Float32Array) view.setFloat32(i * 4, a[i], true);
    else view.setInt32(i * 4, a[i], true);
  }
  return out;
}

function writeFileSynced(path: string, data: Uint8Array | Float32Array | Int32Array): void {
  const bytes = leBytes(data);
  const fd = openSync(path, 'wx', 0o600);
  try {
    for (let o = 0; o < bytes.length;) o += writeSync(fd, bytes, o, Math.min(bytes.length - o, 1 << 30));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable; folders cannot be opened for fsync on Windows, where NTFS journals it. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort, see above.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** True while a process with this pid exists (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed importer whose parent died too can linger as a zombie (a container's init may never
  // reap it): signal 0 still succeeds, but it will never finish its write.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // Gone between the two looks, or no /proc at all (macOS, Windows): then signal 0 is all we know.
    return !existsSync('/proc/self/stat');
  }
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Removes the temp folders of cache writes that can no longer finish: `.tmp-<pid>-…` whose process
 * is gone (an importer killed mid-write), and older unnamed `.tmp-…` after a day. Run at start; a
 * live import of another process (the app and the CLI share the folder) is left alone.
 */
export function cleanStaleTemps(home: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(datasetsDir(home));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith('.tmp-')) continue;
    const path = join(datasetsDir(home), name);
    const pid = /^\.tmp-(\d+)-/.exec(name);
    let stale: boolean;
    if (pid) stale = Number(pid[1]) !== process.pid && !alive(Number(pid[1]));
    else stale = now - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? now) > DAY_MS;
    if (!stale) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
