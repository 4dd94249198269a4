/**
 * Reading the cache: listing, loading into a Dataset, deleting. Only folders named like an id and
 * holding a valid manifest count; temp folders (.tmp-*) of interrupted writes are never looked at.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { featureSize, type Dataset, type LabeledSplit } from '../../shared/dataset.js';
import { DatasetError } from '../errors.js';
import { FILES, ID_PATTERN, cacheDir, readManifestIn, type Manifest } from './manifest.js';

/** Manifests of all valid cached datasets, oldest first; damaged folders are skipped. */
export function listDatasets(home: string): Manifest[] {
  let names: string[];
  try {
    names = readdirSync(cacheDir(home));
  } catch {
    return [];
  }
  const out: Manifest[] = [];
  for (const name of names) {
    if (!ID_PATTERN.test(name)) continue;
    try {
      const m = readManifestIn(join(cacheDir(home), name));
      if (m.id === name) out.push(m);
    } catch {
      // A damaged folder is not listed; loading it by id reports what is wrong.
    }
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** The manifest of `id`, or null when there is no such dataset. Throws DatasetError when its folder is damaged. */
export function readManifest(home: string, id: string): Manifest | null {
  if (!ID_PATTERN.test(id)) return null;
  const dir = join(cacheDir(home), id);
  if (!existsSync(dir)) return null;
  return readManifestIn(dir);
}

/** Loads a cached dataset: x as stored (uint8 or float32), scale from the manifest. */
export function loadDataset(home: string, id: string): Dataset {
  const m = readManifest(home, id);
  if (!m) throw new DatasetError(`no imported dataset with id ${id}: see 'layerlab datasets list'`);
  const dir = join(cacheDir(home), id);
  const size = featureSize(m.featureShape);
  const classes = m.classNames.length;
  const train = readSplit(dir, FILES.trainX, FILES.trainY, m.train.count, size, m.dtype, classes);
  const test = m.test ? readSplit(dir, FILES.testX, FILES.testY, m.test.count, size, m.dtype, classes) : undefined;
  return { id: m.id, name: m.name, featureShape: m.featureShape, classNames: m.classNames, scale: m.scale, train, ...(test ? { test } : {}) };
}

/** Removes a cached dataset's folder. */
export function deleteDataset(home: string, id: string): void {
  if (!ID_PATTERN.test(id)) throw new DatasetError(`'${id}' is not a dataset id`);
  const dir = join(cacheDir(home), id);
  if (!existsSync(dir)) throw new DatasetError(`no imported dataset with id ${id}: see 'layerlab datasets list'`);
  rmSync(dir, { recursive: true, force: true });
}

function readSplit(dir: string, xFile: string, yFile: string, count: number, size: number, dtype: Manifest['dtype'], classes: number): LabeledSplit {
  const x = dtype === 'uint8' ? new Uint8Array(count * size) : new Float32Array(count * size);
  readExactly(join(dir, xFile), x);
  const y = new Int32Array(count);
  readExactly(join(dir, yFile), y);
  littleEndianInPlace(x);
  littleEndianInPlace(y);
  for (let i = 0; i < count; i++) {
    if (y[i] < 0 || y[i] >= classes) throw new DatasetError(`dataset cache ${dir} is damaged: ${yFile} sample ${i} has label ${y[i]}, outside 0..${classes - 1}`);
  }
  return { x, y, count };
}

/** Fills `into` from the file, which must be exactly its size (read into the array: no unaligned views). */
function readExactly(path: string, into: Uint8Array | Float32Array | Int32Array): void {
  const bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new DatasetError(`dataset cache ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); delete the dataset and import it again`);
  }
  try {
    const actual = fstatSync(fd).size;
    if (actual !== bytes.length) throw new DatasetError(`dataset cache ${path} is damaged: ${actual} bytes, expected ${bytes.length}; delete the dataset and import it again`);
    for (let o = 0; o < bytes.length;) {
      const n = readSync(fd, bytes, o, Math.min(bytes.length - o, 1 << 30), o);
      if (n <= 0) throw new DatasetError(`dataset cache ${path} is damaged: it ended early`);
      o += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Files are little-endian; swap in place on a big-endian host. */
function littleEndianInPlace(a: Uint8Array | Float32Array | Int32Array): void {
  if (a instanceof Uint8Array || new Uint8Array(Uint16Array.of(1).buffer)[0] === 1) return;
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength).forEach((_, i, b) => {
    if (i % 4 === 0) { [b[i], b[i + 3]] = [b[i + 3], b[i]]; [b[i + 1], b[i + 2]] = [b[i + 2], b[i + 1]]; }
  });
}
