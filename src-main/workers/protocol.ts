/**
 * Messages between the service and its worker processes. Plain data only: numbers, strings and
 * file paths, never tensors. Each message is a discriminated union on `type`.
 */
import type { ModelSpec } from '../shared/spec.js';
import type { BackendChoice } from '../shared/backends.js';
import type { EpochRecord, EvaluationRecord, ProbeFigure, RunMarks, RunWorker } from '../shared/runs.js';
import type { ErrorInfo } from '../shared/errors.js';
import type { ConvFilters, ImagePrediction } from '../shared/predict.js';
import type { DatasetInfo } from '../shared/datasets.js';
import type { DatasetRef } from '../shared/dataset-ref.js';
import type { DecisionRegions } from '../shared/regions.js';

export type TrainerRequest =
  | {
      type: 'train';
      runId: string;
      spec: ModelSpec;
      dataset: DatasetRef;
      home: string;
      limit?: number;
      backend: BackendChoice;
      path: 'fast' | 'stock';
      /** Folder the trained model is written to (tfjs layers format), when wanted. */
      modelDir?: string;
      /** Folder of a saved model (model.json + weights.bin) to start from: continued training. */
      initFrom?: string;
      /** `auto` measures every rung again instead of reusing the probe cache's figures. */
      reprobe?: boolean;
    }
  /**
   * Times up to `steps` training steps of the run's model on the backend this process picks (the
   * auto choice's probe); answers 'probe' then 'done'.
   */
  | { type: 'probe'; runId: string; spec: ModelSpec; dataset: DatasetRef; home: string; limit?: number; backend: BackendChoice; path: 'fast' | 'stock'; steps: number }
  /** Scores a saved model on the dataset's test split; answers 'evaluation' then 'done'. */
  | { type: 'evaluate'; runId: string; spec: ModelSpec; dataset: DatasetRef; home: string; backend: BackendChoice; modelDir: string; limit?: number }
  /** The saved model's answers for image files; answers 'predictions' then 'done'. */
  | { type: 'predict'; runId: string; spec: ModelSpec; dataset: DatasetRef; home: string; backend: BackendChoice; modelDir: string; images: { source: string; path: string }[]; samples?: number[]; maps?: boolean }
  | { type: 'stop' };

export type TrainerMessage =
  | {
      type: 'started'; runId: string; backend: string; device: string; skipped: { name: string; reason: string; coded?: Message }[]; trainCount: number; valCount: number; batches: number;
      /** The auto choice's probe (ladder-host.ts): each rung's figure, and why the chosen one won. */
      probe?: ProbeFigure[]; why?: string;
      /** When the probe's figures were measured, and whether they came from the probe cache. */
      measuredAt?: string; cached?: true;
      /** A GPU rung's adapter in the browser's own words (`device` is the short line). */
      adapter?: string;
      /** A queue worker's run (workers/redis): which attempt this is, on which worker, and why the one before was lost. */
      attempt?: number; worker?: RunWorker; lostWhy?: string;
    }
  | { type: 'batch'; runId: string; epoch: number; batch: number; batches: number; loss: number; accuracy: number }
  | ({ type: 'epoch'; runId: string; /** A queue worker's attempt (workers/redis). */ attempt?: number } & EpochRecord)
  | ({ type: 'marks'; runId: string } & RunMarks)
  | { type: 'evaluation'; runId: string; evaluation: EvaluationRecord }
  | { type: 'model'; runId: string; dir: string; files: string[] }
  | { type: 'predictions'; runId: string; classNames: string[]; results: ImagePrediction[]; filters?: ConvFilters | null }
  | { type: 'probe'; runId: string; backend: string; samplesPerSecond: number | null; steps: number; device?: string; reason?: string }
  /** A 2-feature dataset's decision regions of the kept model; kept as the run's 'regions' artifact. */
  | { type: 'regions'; runId: string; regions: DecisionRegions }
  | { type: 'done'; runId: string; status: 'completed' | 'stopped' }
  | { type: 'error'; runId: string; error: ErrorInfo };

export type { ImporterOptions } from '../data/import.js';
import type { ImporterOptions } from '../data/import.js';
import type { Message } from '../shared/messages.js';

export type ImporterRequest = { type: 'import'; importId: string; path: string; options: ImporterOptions; home: string };

export type ImporterMessage =
  | { type: 'progress'; importId: string; phase: 'reading' | 'parsing' | 'writing'; done: number; total: number }
  | { type: 'done'; importId: string; dataset: DatasetInfo & { reused?: boolean } }
  | { type: 'error'; importId: string; error: ErrorInfo };
