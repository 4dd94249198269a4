/** Datasets as the faces see them. */
import type { z } from 'zod';
import type { ImportOptionsSchema } from './contract.js';
import type { Message } from './messages.js';

export type DatasetKind = 'builtin' | 'synthetic' | 'imported';

export interface DatasetInfo {
  /** 'fashion-mnist', 'mnist', or an imported dataset's id. */
  id: string;
  name: string;
  kind: DatasetKind;
  /** False for a built-in dataset whose files are not on this machine; `reason` says how to get them. */
  available: boolean;
  reason?: string;
  /** `reason` as a coded message, for a page to say in the user's language. */
  reasonCoded?: Message;
  format?: string;
  featureShape: number[];
  classNames: string[];
  trainCount: number;
  testCount: number;
  /** Per class, training split. */
  classCounts?: number[];
  sourcePath?: string;
  createdAt?: string;
  /** True when samples are images (shown as pictures), false for tabular rows. */
  isImage: boolean;
  /** Column names of tabular data (a CSV header), one per feature. */
  featureNames?: string[];
}

export interface DatasetPreview {
  id: string;
  featureShape: number[];
  classNames: string[];
  classCounts: number[];
  isImage: boolean;
  /** Multiply values by this for model inputs; images: values are 0..255. */
  scale: number;
  /** A few samples per class, row-major values. */
  samples: { index: number; label: number; values: number[] }[];
  /** Per feature for tabular data, one entry overall for images. */
  stats: { name: string; min: number; max: number; mean: number }[];
}

export type ImportOptions = z.infer<typeof ImportOptionsSchema>;
