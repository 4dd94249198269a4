/**
 * Datasets by content: a run on the queue names its dataset with the sha256 of what it holds,
 * and a worker trains only on data with that hash. A catalog dataset (Fashion-MNIST, MNIST) is
 * named by the published data it must be (its pins): each worker uses its own copy. A dataset of
 * the cache (imported or generated) travels as one bundle, put in Redis by its owner under its
 * hash and kept by the worker in <home>/remote-datasets/<hash>/, checked before every run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatasetRef } from '../../shared/dataset-ref.js';
import { IDX_CATALOG } from '../../data/catalog/idx-datasets.js';
import { FILES, cacheDir } from '../../data/cache/manifest.js';

/** Redis holds strings up to 512 MiB; a bigger dataset goes by a shared folder. */
export const MAX_BUNDLE_BYTES = 500 * 1024 * 1024;
const BUNDLE_FILES: readonly string[] = Object.values(FILES);

const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** A cache folder's hash: each known file's name and sha256, in name order. */
function folderHash(dir: string): string {
  const h = createHash('sha256');
  for (const name of [...BUNDLE_FILES].sort()) {
    const p = join(dir, name);
    if (existsSync(p)) h.update(`${name}\0${sha256(readFileSync(p))}\n`);
  }
  return h.digest('hex');
}

/** Hashes already computed, by folder and the files' sizes and times: a folder is hashed once. */
const memo = new Map<string, { stamp: string; hash: string }>();
function stampOf(dir: string): string {
  return BUNDLE_FILES.map((n) => { const s = statSync(join(dir, n), { throwIfNoEntry: false }); return s ? `${n}:${s.size}:${s.mtimeMs}` : ''; }).join('|');
}
function cachedFolderHash(dir: string): string {
  const stamp = stampOf(dir);
  const known = memo.get(dir);
  if (known && known.stamp === stamp) return known.hash;
  const hash = folderHash(dir);
  memo.set(dir, { stamp, hash });
  return hash;
}

/** The hash a catalog dataset's data must have (its published pins): the same on every machine of a version. */
export function catalogHash(id: string): string | null {
  const entry = IDX_CATALOG.find((e) => e.id === id);
  return entry ? sha256(`catalog\0${id}\0${JSON.stringify(entry.pins)}`) : null;
}

/** The content hash of a dataset the owner has. */
export function datasetHash(home: string, ref: DatasetRef): string {
  if (ref.kind === 'catalog') return catalogHash(ref.id)!;
  return cachedFolderHash(join(cacheDir(home), ref.id));
}

/** A cache dataset as one buffer: a 4-byte header length, a JSON header naming the files, then their bytes. */
export function bundleDataset(home: string, ref: Extract<DatasetRef, { kind: 'cache' }>): Buffer {
  const dir = join(cacheDir(home), ref.id);
  const files = BUNDLE_FILES.filter((n) => existsSync(join(dir, n))).map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
  const header = Buffer.from(JSON.stringify({ id: ref.id, files: files.map((f) => ({ name: f.name, bytes: f.bytes.byteLength })) }));
  const size = Buffer.alloc(4);
  size.writeUInt32BE(header.byteLength);
  return Buffer.concat([size, header, ...files.map((f) => f.bytes)]);
}

/** Unpacks a bundle into `dir` (a fresh folder); refuses anything but the cache's own file names. */
function unpackBundle(bundle: Buffer, dir: string): void {
  const fail = (why: string): never => { throw new Error(`the dataset bundle is damaged: ${why}`); };
  if (bundle.byteLength < 4) fail('too short');
  const n = bundle.readUInt32BE(0);
  let header: { files?: { name?: unknown; bytes?: unknown }[] };
  try { header = JSON.parse(bundle.subarray(4, 4 + n).toString('utf8')) as typeof header; } catch { return fail('its header is not JSON'); }
  let at = 4 + n;
  mkdirSync(dir, { recursive: true });
  for (const f of header.files ?? []) {
    if (typeof f.name !== 'string' || !BUNDLE_FILES.includes(f.name) || !Number.isInteger(f.bytes) || (f.bytes as number) < 0) fail('a file entry is not one of the cache\'s');
    const end = at + (f.bytes as number);
    if (end > bundle.byteLength) fail('it is shorter than its header says');
    writeFileSync(join(dir, f.name as string), bundle.subarray(at, end));
    at = end;
  }
}

/** Why a worker cannot train on a dataset (a refusal's reason), or the data folder to train with. */
export type Prepared = { home: string } | { refused: string };

/**
 * The data folder a trainer on this worker opens the dataset from, with data whose hash is the
 * job's: the worker's own home for a catalog dataset, else <home>/remote-datasets/<hash>, fetched
 * once (`fetch` gets the bundle from Redis) and checked before every run.
 */
export async function prepareDataset(home: string, ref: DatasetRef, hash: string, fetch: () => Promise<Buffer | null>): Promise<Prepared> {
  if (ref.kind === 'catalog') {
    const mine = catalogHash(ref.id);
    return mine === hash ? { home } : { refused: `its ${ref.id} is not the one this worker's Layerlab knows (content hash ${hash.slice(0, 12)}…, here ${mine?.slice(0, 12)}…): install the same Layerlab version on both machines` };
  }
  const root = join(home, 'remote-datasets', hash);
  const dir = join(cacheDir(root), ref.id);
  if (existsSync(dir)) {
    if (cachedFolderHash(dir) === hash) return { home: root };
    // Changed on disk since it was fetched: fetch it again.
    rmSync(root, { recursive: true, force: true });
  }
  const bundle = await fetch();
  if (!bundle) return { refused: `dataset ${ref.id} (content hash ${hash.slice(0, 12)}…) is not in Redis: its owner puts it there when it queues the run; queue the run again` };
  const tmp = join(home, 'remote-datasets', `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    unpackBundle(bundle, join(cacheDir(tmp), ref.id));
    const got = folderHash(join(cacheDir(tmp), ref.id));
    if (got !== hash) return { refused: `dataset ${ref.id} arrived with content hash ${got.slice(0, 12)}…, not the ${hash.slice(0, 12)}… its run names: it changed or was damaged on the way` };
    mkdirSync(join(home, 'remote-datasets'), { recursive: true });
    try { renameSync(tmp, root); } catch { /* another job of this worker placed it first */ }
    return { home: root };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Leftover temp folders of a worker that died while fetching. */
export function cleanRemoteTemps(home: string): void {
  const dir = join(home, 'remote-datasets');
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const n of names) if (n.startsWith('.tmp-') && !n.startsWith(`.tmp-${process.pid}-`)) rmSync(join(dir, n), { recursive: true, force: true });
}
