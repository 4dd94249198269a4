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
    /** The first convolution's output for this input (`runs:predict` with `maps`, a model with a Conv2D). */
    maps?: FeatureMaps;
  }
  /** `coded`: the same one line as a code with parameters, for a page to say in the user's language. */
  | { source: string; ok: false; error: string; coded?: Message };

/** A model's first Conv2D layer's kernel, as in chapter 8-3 of the book. */
export interface ConvFilters {
  /** The layer's index in the spec. */
  layer: number;
  /** "Conv2D(32, 3×3, relu, same)". */
  description: string;
  /** [kernel height, kernel width, input channels, filters]. */
  kernel: [number, number, number, number];
  /** Row-major over `kernel` (Keras' layout): values[((y * kw + x) * inC + c) * filters + f]. */
  values: number[];
  /** One per filter. */
  bias: number[];
}

/** One input's feature maps at the first Conv2D layer (after its activation). */
export interface FeatureMaps {
  layer: number;
  /** [height, width, filters]. */
  size: [number, number, number];
  /** Row-major over `size`: values[(y * width + x) * filters + f]. */
  values: number[];
}

export interface PredictResult {
  runId: string;
  classNames: string[];
  results: ImagePrediction[];
  /** Asked with `maps`: the first Conv2D layer's filters, or null when the model has none. */
  filters?: ConvFilters | null;
}
