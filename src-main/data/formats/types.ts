/**
 * What every dataset format parser returns, before it goes into the dataset cache.
 * Layouts follow src-main/shared/dataset.ts: `x` is row-major, `[count, ...featureShape]`.
 */

/** One split of parsed samples. */
export interface ParsedSplit {
  /** [count, ...featureShape] row-major; Uint8Array when every value is an integer 0..255. */
  x: Uint8Array | Float32Array;
  /** [count] class indices in 0..classNames.length-1. */
  y: Int32Array;
  count: number;
}

/** Where a dataset came from: a file format, or 'synthetic' for the generated 2D sets. */
export type SourceFormat = 'idx' | 'csv' | 'images' | 'npy' | 'npz' | 'synthetic';

export interface ParsedDataset {
  format: SourceFormat;
  /** Shape of one sample: [28, 28], [28, 28, 3], [4]. */
  featureShape: number[];
  classNames: string[];
  train: ParsedSplit;
  /** Held-out test split, when the source has one. */
  test?: ParsedSplit;
  /**
   * True when the features are pixels (images, IDX, or a CSV given an image shape):
   * the cache then records scale 1/255 for uint8 data. Omitted means false.
   */
  isImage?: boolean;
  /** Names of the features in order (a CSV header's columns), for tabular previews. */
  featureNames?: string[];
  /** sha256 (hex) of exactly the bytes parsed, when the parser hashed its source while reading it. */
  sourceSha256?: string;
  /** Notes for the user, e.g. 'header detected', 'label column: species'. */
  notes: string[];
}

/** Progress callback: `done` of `total` bytes (or files, for image folders). */
export type ProgressFn = (done: number, total: number) => void;
