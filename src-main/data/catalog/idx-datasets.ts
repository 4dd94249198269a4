/**
 * The built-in IDX datasets (Fashion-MNIST, MNIST): where their files are looked for, and loading.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Dataset, RowsOfRun } from '../../shared/dataset.js';
import { DatasetError } from '../errors.js';
import { readIdxPair, readIdxPairRows, type ReadBytes } from '../formats/idx.js';
import { plainCopy, unpackedReader } from './unpacked.js';
import { message, messageText, type Message } from '../../shared/messages.js';

/** One of the four files as published; `sha256` and `bytes` are of the decompressed IDX data. */
export interface IdxCatalogFile {
  name: string;
  bytes: number;
  sha256: string;
  /** Size of the .gz as published: the progress bar's estimate before a server says. */
  gzBytes: number;
}

/** A file's published .gz size and the sha256 of its data. */
type Pin = readonly [gzBytes: number, sha256: string];

export interface IdxCatalogEntry {
  id: 'fashion-mnist' | 'mnist';
  name: string;
  classNames: string[];
  /** Debian package that installs it, where there is one. */
  debianPackage?: string;
  /** Folder names under the standard places. */
  folder: string;
  /** Published addresses of the .gz files, tried in order. */
  mirrors: string[];
  /**
   * The data's sha256, not the archive's: Debian recompresses the same bytes, and a copy from any
   * mirror is checked for what it holds.
   */
  pins: Record<FileKey, Pin>;
}

export const IDX_CATALOG: readonly IdxCatalogEntry[] = [
  {
    id: 'fashion-mnist',
    name: 'Fashion-MNIST',
    classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    debianPackage: 'dataset-fashion-mnist',
    folder: 'fashion-mnist',
    mirrors: [
      'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
      'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
      'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    ],
    pins: {
      trainImages: [26421880, 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888'],
      trainLabels: [29515, 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9'],
      testImages: [4422102, '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b'],
      testLabels: [5148, '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34'],
    },
  },
  {
    id: 'mnist',
    name: 'MNIST',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    folder: 'mnist',
    mirrors: [
      'https://storage.googleapis.com/cvdf-datasets/mnist/',
      'https://ossci-datasets.s3.amazonaws.com/mnist/',
    ],
    pins: {
      trainImages: [9912422, 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db'],
      trainLabels: [28881, '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5'],
      testImages: [1648877, '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7'],
      testLabels: [4542, 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2'],
    },
  },
];

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
type FileKey = keyof typeof FILES;

/** Decompressed sizes: the same for both (60,000 and 10,000 images of 28×28, with their labels). */
const BYTES: Record<FileKey, number> = { trainImages: 47040016, trainLabels: 60008, testImages: 7840016, testLabels: 10008 };

/** The four files of an entry as published: train images, train labels, test images, test labels. */
export function catalogFiles(entry: IdxCatalogEntry): IdxCatalogFile[] {
  return (Object.keys(FILES) as FileKey[]).map((key) => {
    const [gzBytes, sha256] = entry.pins[key];
    return { name: FILES[key], bytes: BYTES[key], gzBytes, sha256 };
  });
}

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

/** Where the dataset was looked for and how to get it, as a coded message (a page translates it). */
export function missingCoded(entry: IdxCatalogEntry, home: string): Message {
  const params = {
    name: entry.name, dirs: searchDirs(entry, home).join(', '), id: entry.id,
    files: Object.values(FILES).map((f) => `${f}.gz`).join(', '), folder: join(home, 'datasets', entry.folder),
  };
  return entry.debianPackage ? message('dataset.missingApt', { ...params, apt: entry.debianPackage }) : message('dataset.missing', params);
}

export function missingMessage(entry: IdxCatalogEntry, home: string): string {
  return messageText(missingCoded(entry, home));
}

/**
 * Loads an IDX dataset from a folder holding the four standard files. With `rows` (and `plain`,
 * where each file's uncompressed bytes lie, when they do) only the images a run uses are read
 * (the dataset is then `partial`); otherwise, or where a file is only compressed, all of them.
 */
export function loadIdxFolder(dir: string, meta: { id: string; name: string; classNames?: string[] }, read?: ReadBytes, rows?: RowsOfRun, plain?: (file: string) => string | null): Dataset {
  const files = findIdxFiles(dir);
  if (!files) throw new DatasetError(`${dir}: no ${Object.values(FILES).join(' / ')} files (plain or .gz) found there`);
  const some = (images: string, labels: string, pick: (count: number) => ArrayLike<number>) => {
    const at = rows && plain ? plain(images) : null;
    return at ? readIdxPairRows(images, labels, at, pick, read) : null;
  };
  const trainPart = rows ? some(files.trainImages, files.trainLabels, rows.train) : null;
  const testPart = rows && trainPart ? some(files.testImages, files.testLabels, (n) => Int32Array.from({ length: rows.test(n) }, (_, i) => i)) : null;
  const partial = trainPart !== null && testPart !== null;
  const train = partial ? trainPart : readIdxPair(files.trainImages, files.trainLabels, read);
  const test = partial ? testPart : readIdxPair(files.testImages, files.testLabels, read);
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
    ...(partial ? { partial: true as const } : {}),
  };
}

export function loadCatalogIdx(id: IdxCatalogEntry['id'], home: string, rows?: RowsOfRun): Dataset {
  const entry = IDX_CATALOG.find((e) => e.id === id)!;
  const found = locateIdxDataset(entry, home);
  if (!found) throw new DatasetError(missingCoded(entry, home));
  const unpacked = join(home, 'datasets', '.unpacked', entry.folder);
  return loadIdxFolder(found.dir, entry, unpackedReader(unpacked), rows, (file) => plainCopy(unpacked, file));
}
