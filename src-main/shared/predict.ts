/** A saved model's answers for the user's own images (`runs:predict`, `layerlab predict`). Plain data. */
import type { Message } from './messages.js';

/** How an image was made into the model's input, so a face can show it. */
export interface Preprocessing {
  /** The file's own size and format ('test-sample' for a row of the test split, already the model's size). */
  source: { width: number; height: number; format: string; channels: number };
  /** What the model takes: height, width, channels. */
  size: [number, number, number];
  /** Pixel values were multiplied by this (as the dataset was in training). */
  scale: number;
  /** The input as the model saw it, row-major [height, width, channels], scaled. */
  values: number[];
}

export type ImagePrediction =
  | {
    source: string; ok: true; probabilities: number[]; predicted: number; className: string; preprocessing: Preprocessing;
    /** A test sample's index and true label (`runs:predict` with `samples`). */
    sample?: { index: number; label: number };
  }
  /** `coded`: the same one line as a code with parameters, for a page to say in the user's language. */
  | { source: string; ok: false; error: string; coded?: Message };

export interface PredictResult {
  runId: string;
  classNames: string[];
  results: ImagePrediction[];
}
