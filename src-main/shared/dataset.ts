/**
 * An in-memory labelled dataset, as the data layer hands it to the engine.
 * Features are stored row-major, one sample after another: `x[i * featureSize + j]`.
 * 8-bit sources stay Uint8Array (4× smaller than float32); `scale` turns them into model inputs.
 */
export type FeatureArray = Uint8Array | Float32Array;

export interface LabeledSplit {
  /** [count, ...featureShape] row-major. */
  x: FeatureArray;
  /** [count] class indices in 0..classNames.length-1. */
  y: Int32Array;
  count: number;
}

export interface Dataset {
  /** Stable id: 'fashion-mnist', 'mnist', 'synthetic:spiral', or an imported dataset's id. */
  id: string;
  name: string;
  /** Shape of one sample: [28, 28], [28, 28, 3], [4]. */
  featureShape: number[];
  classNames: string[];
  /** Multiply x by this to get model inputs (1/255 for 8-bit images, 1 otherwise). */
  scale: number;
  /** The split training and validation are drawn from. */
  train: LabeledSplit;
  /** Held-out test split, when the dataset has one; evaluation uses it. */
  test?: LabeledSplit;
  /**
   * Only the rows one run uses were read (RowsOfRun); every other row's features are zeros.
   * Labels and counts are whole. Given to that run's trainer only, never shown or saved.
   */
  partial?: true;
}

/**
 * The rows a run reads, given each split's count: its training and validation rows (indices into
 * the training split), and how many of the first test rows it scores (engine/train.ts rowsOfRun).
 */
export interface RowsOfRun {
  train: (count: number) => ArrayLike<number>;
  test: (count: number) => number;
}

export function featureSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
