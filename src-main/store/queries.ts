/**
 * Reading runs back as the shared shapes (RunSummary, RunDetail). Summary fields are computed
 * from the epochs and the evaluation in SQL, so they can never disagree with them.
 */
import type Database from 'better-sqlite3';
import type { BackendNotes, EpochRecord, EvaluationRecord, LostAttempt, RunDetail, RunStatus, RunSummary, RunWorker } from '../shared/runs.js';
import type { ModelSpec } from '../shared/spec.js';
import type { LayerStat } from '../shared/layer-stats.js';
import type { ArtifactRow } from './artifacts.js';

/** Every field is optional; given fields must all match. */
export interface RunFilter {
  group?: string;
  tag?: string;
  status?: RunStatus;
  dataset?: string;
  experiment?: string;
  /** The queue worker's name (runs.worker.name) that trained the run. */
  worker?: string;
}

interface SummaryRow {
  id: string; name: string; group_id: string | null; experiment_id: string | null; status: RunStatus;
  dataset_id: string; seed: number; backend: string | null; created_at: string; started_at: string | null;
  ended_at: string | null; error: string | null; notes: string; train_count: number | null;
  val_count: number | null; limit_n: number | null; tags: string; epochs_done: number;
  train_accuracy: number | null; val_accuracy: number | null; val_loss: number | null;
  seconds: number | null; test_accuracy: number | null;
  stopped_epoch: number | null; best_epoch: number | null; model_epoch: number | null; continued_from: string | null;
  device: string | null; backend_notes: string | null; worker: string | null; attempt: number;
}

interface EpochRow {
  epoch: number; loss: number | null; accuracy: number | null; val_loss: number | null;
  val_accuracy: number | null; seconds: number; samples_per_second: number | null;
  layers: string | null;
}

interface EvaluationRow {
  split: EvaluationRecord['split']; count: number; loss: number | null; accuracy: number | null;
  confusion: string; misclassified: string;
}

// The kept epoch (the one whose weights the run keeps, else the last) gives the scores; testAccuracy only from a test-split evaluation (a
// validation-split one would repeat valAccuracy under the wrong name).
const SUMMARY_SQL = `
  SELECT r.id, r.name, r.group_id, r.experiment_id, r.status, r.dataset_id, r.seed, r.backend,
    r.created_at, r.started_at, r.ended_at, r.error, r.notes, r.train_count, r.val_count, r.limit_n,
    r.stopped_epoch, r.best_epoch, r.model_epoch, r.continued_from, r.device, r.backend_notes, r.worker, r.attempt,
    (SELECT json_group_array(tag) FROM (SELECT tag FROM run_tags t WHERE t.run_id = r.id ORDER BY tag)) AS tags,
    (SELECT count(*) FROM epochs e WHERE e.run_id = r.id) AS epochs_done,
    (SELECT sum(seconds) FROM epochs e WHERE e.run_id = r.id) AS seconds,
    last.accuracy AS train_accuracy, last.val_accuracy AS val_accuracy, last.val_loss AS val_loss,
    ev.accuracy AS test_accuracy
  FROM runs r
  LEFT JOIN epochs last ON last.run_id = r.id
    AND last.epoch = coalesce(r.model_epoch, (SELECT max(epoch) FROM epochs m WHERE m.run_id = r.id))
  LEFT JOIN evaluations ev ON ev.run_id = r.id AND ev.split = 'test'`;

function toSummary(r: SummaryRow): RunSummary {
  return {
    id: r.id, name: r.name, group: r.group_id, experiment: r.experiment_id, status: r.status,
    datasetId: r.dataset_id, seed: r.seed, backend: r.backend, createdAt: r.created_at,
    startedAt: r.started_at, endedAt: r.ended_at, error: r.error, notes: r.notes,
    tags: JSON.parse(r.tags) as string[], trainCount: r.train_count, valCount: r.val_count,
    limit: r.limit_n, epochsDone: r.epochs_done, trainAccuracy: r.train_accuracy,
    valAccuracy: r.val_accuracy, valLoss: r.val_loss, seconds: r.seconds, testAccuracy: r.test_accuracy,
    stoppedEpoch: r.stopped_epoch, bestEpoch: r.best_epoch, modelEpoch: r.model_epoch, continuedFrom: r.continued_from,
    device: r.device, backendNotes: r.backend_notes ? JSON.parse(r.backend_notes) as BackendNotes : null,
    worker: r.worker ? JSON.parse(r.worker) as RunWorker : null, attempt: r.attempt,
  };
}

/** Runs matching the filter, newest first (ties: the later insert first). */
export function listSummaries(db: Database.Database, filter: RunFilter): RunSummary[] {
  const where: string[] = [];
  const params: string[] = [];
  const add = (sql: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(sql);
    params.push(value);
  };
  add('r.group_id = ?', filter.group);
  add('r.experiment_id = ?', filter.experiment);
  add('r.status = ?', filter.status);
  add('r.dataset_id = ?', filter.dataset);
  add("json_extract(r.worker, '$.name') = ?", filter.worker);
  add('EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)', filter.tag);
  const sql = `${SUMMARY_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.created_at DESC, r.rowid DESC`;
  return (db.prepare(sql).all(...params) as SummaryRow[]).map(toSummary);
}

export function getSummary(db: Database.Database, id: string): RunSummary | null {
  const row = db.prepare(`${SUMMARY_SQL} WHERE r.id = ?`).get(id) as SummaryRow | undefined;
  return row ? toSummary(row) : null;
}

/** SQLite keeps NaN as NULL; the shared shapes want the number back. */
const num = (v: number | null): number => v ?? NaN;

export function getEpochs(db: Database.Database, id: string): EpochRecord[] {
  const rows = db.prepare('SELECT * FROM epochs WHERE run_id = ? ORDER BY epoch').all(id) as EpochRow[];
  return rows.map((e) => ({
    epoch: e.epoch, loss: num(e.loss), accuracy: num(e.accuracy), valLoss: num(e.val_loss),
    valAccuracy: num(e.val_accuracy), seconds: e.seconds, samplesPerSecond: num(e.samples_per_second),
    ...(e.layers === null ? {} : { layers: JSON.parse(e.layers) as LayerStat[] }),
  }));
}

/**
 * The INSERT of one epoch row, and its values: layer statistics as JSON (a non-finite number
 * becomes null there), NULL without them.
 */
export const INSERT_EPOCH = `INSERT INTO epochs (run_id, epoch, loss, accuracy, val_loss, val_accuracy, seconds, samples_per_second, layers)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
export function epochValues(id: string, e: EpochRecord): unknown[] {
  const real = (v: number): number | null => (Number.isNaN(v) ? null : v);
  return [id, e.epoch, real(e.loss), real(e.accuracy), real(e.valLoss), real(e.valAccuracy), e.seconds, real(e.samplesPerSecond),
    e.layers ? JSON.stringify(e.layers) : null];
}

export function getDetail(db: Database.Database, id: string): RunDetail | null {
  const summary = getSummary(db, id);
  if (!summary) return null;
  const spec = db.prepare('SELECT spec FROM runs WHERE id = ?').pluck().get(id) as string;
  const ev = db.prepare('SELECT * FROM evaluations WHERE run_id = ?').get(id) as EvaluationRow | undefined;
  const artifacts = db.prepare('SELECT kind, path, bytes, sha256 FROM artifacts WHERE run_id = ? ORDER BY kind, path').all(id) as ArtifactRow[];
  return {
    ...summary,
    // Written by this store from a parsed ModelSpec, so it is one.
    spec: JSON.parse(spec) as ModelSpec,
    epochs: getEpochs(db, id),
    evaluation: ev ? {
      split: ev.split, count: ev.count, loss: num(ev.loss), accuracy: num(ev.accuracy),
      confusion: JSON.parse(ev.confusion) as EvaluationRecord['confusion'],
      misclassified: JSON.parse(ev.misclassified) as EvaluationRecord['misclassified'],
    } : null,
    artifacts,
    lostAttempts: getLostAttempts(db, id),
  };
}

interface LostAttemptRow { attempt: number; worker: string | null; backend: string | null; device: string | null; started_at: string | null; ended_at: string; why: string; epochs: string }

/** The attempts a run lost before its own, oldest first; their epochs as the trainer reported them. */
export function getLostAttempts(db: Database.Database, id: string): LostAttempt[] {
  const rows = db.prepare('SELECT * FROM lost_attempts WHERE run_id = ? ORDER BY attempt').all(id) as LostAttemptRow[];
  return rows.map((r) => ({
    attempt: r.attempt, worker: r.worker ? JSON.parse(r.worker) as RunWorker : null, backend: r.backend, device: r.device,
    startedAt: r.started_at, endedAt: r.ended_at, why: r.why,
    epochs: (JSON.parse(r.epochs) as (Omit<EpochRecord, 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy' | 'samplesPerSecond'> & Record<string, number | null>)[])
      .map((e) => ({ ...e, loss: num(e.loss), accuracy: num(e.accuracy), valLoss: num(e.valLoss), valAccuracy: num(e.valAccuracy), samplesPerSecond: num(e.samplesPerSecond) }) as EpochRecord),
  }));
}
