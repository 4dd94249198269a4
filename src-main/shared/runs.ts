/**
 * Runs as the store keeps them and the faces show them. Plain data: crosses IPC and WebSocket.
 */
import type { ModelSpec } from './spec.js';
import type { LayerStat } from './layer-stats.js';

export const RUN_STATUSES = ['queued', 'running', 'completed', 'stopped', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'stopped', 'failed', 'interrupted'];

/** One completed epoch. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  seconds: number;
  samplesPerSecond: number;
  /** Layer statistics on the probe batch after this epoch; absent when none were recorded (probeSize 0, older runs). */
  layers?: LayerStat[];
}

export interface EvaluationRecord {
  split: 'test' | 'validation';
  count: number;
  loss: number;
  accuracy: number;
  /** confusion[true][predicted] */
  confusion: number[][];
  misclassified: { index: number; label: number; predicted: number; confidence: number }[];
}

export interface RunSummary {
  id: string;
  name: string;
  /** Runs of one spec over seeds share a group (a --repeat, or one variant of an experiment). */
  group: string | null;
  /** The experiment this run belongs to, if any. */
  experiment: string | null;
  status: RunStatus;
  datasetId: string;
  seed: number;
  backend: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  notes: string;
  tags: string[];
  /** Samples per epoch: training and validation counts. */
  trainCount: number | null;
  valCount: number | null;
  /** Training --limit, when the run used one. */
  limit: number | null;
  /** From the epoch the run kept (modelEpoch, else the last): train score, val score as the book names them. */
  epochsDone: number;
  trainAccuracy: number | null;
  valAccuracy: number | null;
  valLoss: number | null;
  /** Sum of the completed epochs' seconds. */
  seconds: number | null;
  testAccuracy: number | null;
  /** The epoch after which early stopping ended the run; null when it ran every epoch. */
  stoppedEpoch: number | null;
  /** The best epoch by the run's checkpoint (else early stopping) monitor; null without either. */
  bestEpoch: number | null;
  /**
   * The epoch whose weights the run kept (its saved model, its evaluation, and the epoch the
   * scores above come from); null: the last one.
   */
  modelEpoch: number | null;
  /** The run whose saved model this run started from (continued training). */
  continuedFrom: string | null;
  /** What the run trained on, in one line ("WebGPU, nvidia ampere", "CPU, WebAssembly with SIMD, 1 thread"). */
  device: string | null;
  /** How the backend was chosen: rungs passed over and why, and the auto probe's figures. */
  backendNotes: BackendNotes | null;
  /** The queue worker that trained the run (layerlab worker on a Redis queue); null: a local trainer. */
  worker?: RunWorker | null;
  /** The attempt whose epochs the run holds (1 unless a worker died and the run was retried). */
  attempt?: number;
}

/** A queue worker, as a run records it. */
export interface RunWorker { host: string; pid: number; name: string; backend: string; device: string }

/** An attempt lost before the run's own (its worker died): kept apart, never counted. */
export interface LostAttempt {
  attempt: number;
  worker: RunWorker | null;
  backend: string | null;
  device: string | null;
  startedAt: string | null;
  endedAt: string;
  why: string;
  epochs: EpochRecord[];
}

/** One rung the `auto` probe timed (samplesPerSecond) or could not use (reason). */
export interface ProbeFigure { backend: string; samplesPerSecond: number | null; device?: string; reason?: string }

export interface BackendNotes {
  skipped: { name: string; reason: string }[];
  /** The auto probe: every rung it considered, in ladder order. */
  probe?: ProbeFigure[];
  /** Why the chosen rung won ("wasm: 5400 samples/s, webgpu: 210 samples/s"). */
  why?: string;
  /** When the probe's figures were measured (ISO time). */
  measuredAt?: string;
  /** The figures came from the probe cache (an earlier run of the same model): no probe ran before this run. */
  cached?: true;
  /** A GPU rung's adapter in the browser's own words (vendor, architecture, renderer); `device` is the short line. */
  adapter?: string;
}

/** What a run's callbacks did, as the trainer reports it. */
export interface RunMarks { stoppedEpoch: number | null; bestEpoch: number | null; modelEpoch: number }

export interface RunDetail extends RunSummary {
  spec: ModelSpec;
  epochs: EpochRecord[];
  evaluation: EvaluationRecord | null;
  artifacts: { kind: string; path: string; bytes: number; sha256: string }[];
  /** Attempts lost before this one (queue workers only); absent or empty for a local run. */
  lostAttempts?: LostAttempt[];
}
