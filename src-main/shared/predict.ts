/** A saved model's answers for the user's own images (`runs:predict`, `layerlab predict`). Plain data. */

/** How an image was made into the model's input, so a face can show it. */
export interface Preprocessing {
  /** The file's own size and format. */
  source: { width: number; height: number; format: string; channels: number };
  /** What the model takes: height, width, channels. */
  size: [number, number, number];
  /** Pixel values were multiplied by this (as the dataset was in training). */
  scale: number;
  /** The input as the model saw it, row-major [height, width, channels], scaled. */
  values: number[];
}

export type ImagePrediction =
  | { source: string; ok: true; probabilities: number[]; predicted: number; className: string; preprocessing: Preprocessing }
  | { source: string; ok: false; error: string };

export interface PredictResult {
  runId: string;
  classNames: string[];
  results: ImagePrediction[];
}
