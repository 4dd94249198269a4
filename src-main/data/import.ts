/**
 * Import one user file or folder into the dataset cache: detect the format (unless given), parse it
 * with its parser, write the cache all-or-nothing. Runs in the importer process.
 */
import { basename, extname, resolve } from 'node:path';
import { statSync, readdirSync } from 'node:fs';
import type { DatasetInfo, ImportOptions } from '../shared/datasets.js';

/** The contract's options plus the labels file (a path the service resolved from the request). */
export type ImporterOptions = ImportOptions & { labelsPath?: string };
import { ImportError, importProblem, unreadable } from './errors.js';
import type { ParsedDataset, SourceFormat } from './formats/types.js';
import { parseCsvFile } from './formats/csv.js';
import { readImageFolder } from './formats/images.js';
import { parseNpyPair } from './formats/npy.js';
import { readNpz } from './formats/npz.js';
import { findIdxFiles } from './catalog/idx-datasets.js';
import { readIdxPairBounded } from './formats/idx.js';
import { writeDatasetCacheOnce, manifestToInfo, listDatasets } from './cache/index.js';
import { contentKey } from './content-key.js';

export type ImportPhase = 'reading' | 'parsing' | 'writing';
export type ImportProgress = (phase: ImportPhase, done: number, total: number) => void;

type Format = Exclude<SourceFormat, 'synthetic'>;

/** The format a path holds, from what it is: a folder of IDX files or of class folders, or a file's ending. */
export function detectFormat(path: string): Format {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw unreadable(path, err);
  }
  if (st.isDirectory()) return findIdxFiles(path) ? 'idx' : 'images';
  const name = basename(path).toLowerCase();
  const ext = extname(name.replace(/\.gz$/, ''));
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.npz') return 'npz';
  if (ext === '.npy') return 'npy';
  if (/idx\d-ubyte/.test(name)) {
    throw new ImportError(path, importProblem('import.idxOneFile'));
  }
  throw new ImportError(path, importProblem('import.unknownFormat', { ext: ext || name }));
}

async function parseIdxFolder(dir: string): Promise<ParsedDataset> {
  const files = findIdxFiles(dir);
  if (!files) {
    const found = readdirSync(dir).slice(0, 5).join(', ');
    throw new ImportError(dir, found ? importProblem('import.idxNoneFound', { found }) : importProblem('import.idxNone'));
  }
  const train = await readIdxPairBounded(files.trainImages, files.trainLabels);
  const test = await readIdxPairBounded(files.testImages, files.testLabels);
  if (train.featureShape.join('x') !== test.featureShape.join('x')) {
    throw new ImportError(files.testImages, importProblem('import.idxTestShape', { test: test.featureShape.join('×'), train: train.featureShape.join('×') }));
  }
  let k = 0;
  for (const y of [train.y, test.y]) for (let i = 0; i < y.length; i++) k = Math.max(k, y[i] + 1);
  return {
    format: 'idx', featureShape: train.featureShape, classNames: Array.from({ length: k }, (_, i) => String(i)),
    train: { x: train.x, y: train.y, count: train.count }, test: { x: test.x, y: test.y, count: test.count },
    isImage: train.featureShape.length >= 2, notes: [],
  };
}

async function parse(path: string, format: Format, o: ImporterOptions, progress: ImportProgress): Promise<ParsedDataset> {
  switch (format) {
    case 'csv':
      return parseCsvFile(path, { labelColumn: o.labelColumn, imageShape: o.imageShape }, (done, total) => progress('parsing', done, total));
    case 'images':
      return readImageFolder(path, {
        channels: o.channels,
        size: o.imageShape ? { height: o.imageShape[0], width: o.imageShape[1] } : undefined,
        onProgress: (done, total) => progress('parsing', done, total),
      });
    case 'npz':
      return readNpz(path, o.xKey && o.yKey ? { names: { x: o.xKey, y: o.yKey } } : {});
    case 'npy':
      if (!o.labelsPath) throw new ImportError(path, importProblem('import.npyFeaturesOnly'));
      return parseNpyPair(path, o.labelsPath);
    case 'idx':
      return parseIdxFolder(path);
  }
}

/**
 * Imports `path` into the cache. The same content read with the same options (content-key.ts)
 * is not cached twice: the dataset made the first time is answered, with `reused: true`.
 */
export async function importPath(home: string, path: string, options: ImporterOptions, progress: ImportProgress = () => undefined): Promise<DatasetInfo & { reused?: boolean }> {
  const source = resolve(path);
  const format = options.format ?? detectFormat(source);
  progress('reading', 0, 1);
  const parsed = await parse(source, format, options, progress);
  if (parsed.classNames.length < 2) throw new ImportError(source, importProblem('import.classCount', { count: parsed.classNames.length }));
  const { key, sourceSha256 } = await contentKey(source, format, options, parsed.sourceSha256);
  const earlier = listDatasets(home).find((m) => m.contentKey === key);
  if (earlier) return { ...manifestToInfo(earlier), reused: true };
  progress('writing', 0, 1);
  // Another import of the same content may have finished while this one parsed: the write answers it.
  const { manifest, reused } = await writeDatasetCacheOnce(home, { ...parsed, sourceSha256: parsed.sourceSha256 ?? sourceSha256 ?? undefined }, {
    name: options.name ?? basename(source).replace(/\.(csv|tsv|txt|npz|npy)(\.gz)?$/i, ''),
    sourcePath: source,
    format,
    contentKey: key,
  });
  progress('writing', 1, 1);
  return reused ? { ...manifestToInfo(manifest), reused: true } : manifestToInfo(manifest);
}
