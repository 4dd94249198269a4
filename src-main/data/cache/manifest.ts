/**
 * manifest.json of a cached dataset: what the binary files hold and where they came from.
 * Validated with zod on every read, so a damaged cache is a DatasetError naming the folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DatasetInfo } from '../../shared/datasets.js';
import { CACHE_ID_PATTERN } from '../../shared/dataset-ref.js';
import { DatasetError } from '../errors.js';

/** Bumped when the layout of a cache folder changes; older folders are then ignored. */
export const CACHE_VERSION = 1;

/** Cache ids are folder names: lowercase slug, never a path. */
export const ID_PATTERN = CACHE_ID_PATTERN;

const count = z.number().int().min(0);

const SplitInfoSchema = z.object({
  count,
  /** Samples per class, indexed like classNames. */
  classCounts: z.array(count),
}).strict();

export const ManifestSchema = z.object({
  layerlabCache: z.literal(CACHE_VERSION),
  id: z.string().regex(ID_PATTERN),
  name: z.string().max(200),
  sourcePath: z.string(),
  /** sha256 of the source file; null for folders and generated sets. */
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  /** sha256 of what was imported and how (data/content-key.ts): the same again reuses this dataset. */
  contentKey: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  format: z.enum(['idx', 'csv', 'images', 'npy', 'npz', 'synthetic']),
  createdAt: z.iso.datetime(),
  /** train + test samples. */
  sampleCount: count,
  featureShape: z.array(z.number().int().positive()).min(1).max(4),
  featureNames: z.array(z.string()).optional(),
  /** Element type of the x files; both are little-endian, row-major [count, ...featureShape]. */
  dtype: z.enum(['uint8', 'float32']),
  /** Multiply x by this for model inputs: 1/255 for uint8 images, else 1. */
  scale: z.number().positive(),
  isImage: z.boolean(),
  classNames: z.array(z.string()).min(1),
  train: SplitInfoSchema,
  test: SplitInfoSchema.optional(),
  /** How splits are made: validation is drawn from train per run (seeded); test only from the source. */
  split: z.object({
    validation: z.literal('from-train'),
    defaultValidationSplit: z.number().min(0).max(0.9),
    defaultSplitSeed: z.number().int().min(0),
    test: z.enum(['source', 'none']),
  }).strict(),
  notes: z.array(z.string()),
}).strict();

export type Manifest = z.infer<typeof ManifestSchema>;

/** Files of one cache folder: <home>/datasets/cache/<id>/{manifest.json, train-x.bin, train-y.bin, test-x.bin, test-y.bin}. */
export const FILES = {
  manifest: 'manifest.json',
  trainX: 'train-x.bin',
  trainY: 'train-y.bin',
  testX: 'test-x.bin',
  testY: 'test-y.bin',
} as const;

export function datasetsDir(home: string): string {
  return join(home, 'datasets');
}

export function cacheDir(home: string): string {
  return join(home, 'datasets', 'cache');
}

/** Reads and validates a folder's manifest. Throws DatasetError naming the folder when it is damaged. */
export function readManifestIn(dir: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new DatasetError(`dataset cache ${dir} is damaged: ${FILES.manifest} ${e.code === 'ENOENT' ? 'is missing' : `cannot be read (${e.message})`}; delete the folder and import the dataset again`);
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DatasetError(`dataset cache ${dir} is damaged: ${FILES.manifest} field '${issue.path.join('.')}': ${issue.message}; delete the folder and import the dataset again`);
  }
  const m = parsed.data;
  for (const split of [m.train, m.test]) {
    if (split && (split.classCounts.length !== m.classNames.length || split.classCounts.reduce((a, b) => a + b, 0) !== split.count)) {
      throw new DatasetError(`dataset cache ${dir} is damaged: ${FILES.manifest} class counts do not match its classes and sample count`);
    }
  }
  return m;
}

/** The manifest as the faces see it. */
export function manifestToInfo(m: Manifest): DatasetInfo {
  return {
    id: m.id, name: m.name, kind: m.format === 'synthetic' ? 'synthetic' : 'imported', available: true, format: m.format,
    featureShape: m.featureShape, classNames: m.classNames, trainCount: m.train.count, testCount: m.test?.count ?? 0,
    classCounts: m.train.classCounts, sourcePath: m.sourcePath, createdAt: m.createdAt, isImage: m.isImage,
    ...(m.featureNames ? { featureNames: m.featureNames } : {}),
  };
}
