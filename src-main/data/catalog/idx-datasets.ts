/**
 * The built-in IDX datasets (Fashion-MNIST, MNIST): where their files are looked for, and loading.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../../shared/dataset.js';
import { DatasetError } from '../errors.js';
import { readIdxPair } from '../formats/idx.js';

export interface IdxCatalogEntry {
  id: 'fashion-mnist' | 'mnist';
  name: string;
  classNames: string[];
  /** Debian package that installs it, where there is one. */
  debianPackage?: string;
  /** Folder names under the standard places. */
  folder: string;
}

export const IDX_CATALOG: readonly IdxCatalogEntry[] = [
  {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    debianPackage: 'dataset-fashion-mnist',
    folder: 'fashion-mnist',
  },
  {
    id: 'mnist',
    name: 'MNIST',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    folder: 'mnist',
  },
];

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
type FileKey = keyof typeof FILES;

/** The folders searched, in order. */
export function searchDirs(entry: IdxCatalogEntry, home: string): string[] {
  return [
    join('/usr/share/datasets', entry.folder),
    join(homedir(), '.keras', 'datasets', entry.folder),
    join(home, 'datasets', entry.folder),
  ];
}

/** Finds the four files (each plain or .gz) in `dir`, or null when any is missing. */
export function findIdxFiles(dir: string): Record<FileKey, string> | null {
  const found = {} as Record<FileKey, string>;
  for (const key of Object.keys(FILES) as FileKey[]) {
    const plain = join(dir, FILES[key]);
    const gz = `${plain}.gz`;
    if (existsSync(gz)) found[key] = gz;
    else if (existsSync(plain)) found[key] = plain;
    else return null;
  }
  return found;
}

export function locateIdxDataset(entry: IdxCatalogEntry, home: string): { dir: string; files: Record<FileKey, string> } | null {
  for (const dir of searchDirs(entry, home)) {
    const files = findIdxFiles(dir);
    if (files) return { dir, files };
  }
  return null;
}

export function missingMessage(entry: IdxCatalogEntry, home: string): string {
  const how = entry.debianPackage ? `install it with 'sudo apt-get install ${entry.debianPackage}', or ` : '';
  return `${entry.name} not found (looked in ${searchDirs(entry, home).join(', ')}): ${how}put ${Object.values(FILES).map((f) => `${f}.gz`).join(', ')} in ${join(home, 'datasets', entry.folder)}, or pass --dataset <folder>`;
}

/** Loads an IDX dataset from a folder holding the four standard files. */
export function loadIdxFolder(dir: string, meta: { id: string; name: string; classNames?: string[] }): Dataset {
  const files = findIdxFiles(dir);
  if (!files) throw new DatasetError(`${dir}: no ${Object.values(FILES).join(' / ')} files (plain or .gz) found there`);
  const train = readIdxPair(files.trainImages, files.trainLabels);
  const test = readIdxPair(files.testImages, files.testLabels);
  if (train.featureShape.join('x') !== test.featureShape.join('x')) {
    throw new DatasetError(`${files.testImages}: images are ${test.featureShape.join('×')} but the training images are ${train.featureShape.join('×')}`);
  }
  let maxLabel = 0;
  for (const split of [train, test]) for (let i = 0; i < split.y.length; i++) if (split.y[i] > maxLabel) maxLabel = split.y[i];
  const classNames = meta.classNames && meta.classNames.length > maxLabel
    ? meta.classNames
    : Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
  const isBytes = train.x instanceof Uint8Array;
  return {
    id: meta.id,
    name: meta.name,
    featureShape: train.featureShape,
    classNames,
    scale: isBytes ? 1 / 255 : 1,
    train: { x: train.x, y: train.y, count: train.count },
    test: { x: test.x, y: test.y, count: test.count },
  };
}

export function loadCatalogIdx(id: IdxCatalogEntry['id'], home: string): Dataset {
  const entry = IDX_CATALOG.find((e) => e.id === id)!;
  const found = locateIdxDataset(entry, home);
  if (!found) throw new DatasetError(missingMessage(entry, home));
  return loadIdxFolder(found.dir, entry);
}
