/**
 * The run history: one RunStore per open database. Only the service writes through it (one
 * writer); every write that checks a run's state does so inside an IMMEDIATE transaction, so a
 * second process on the same data folder cannot slip between the check and the write.
 */
import type Database from 'better-sqlite3';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../shared/errors.js';
import { message } from '../shared/messages.js';
import { TERMINAL_STATUSES, type EpochRecord, type EvaluationRecord, type RunDetail, type RunMarks, type RunStatus, type RunSummary, type BackendNotes, type RunWorker } from '../shared/runs.js';
import type { ModelSpec } from '../shared/spec.js';
import { databasePath, newRunId, openDatabase } from './db.js';
import { placeArtifact, recoverArtifactFolders, runFolder, type ArtifactFile, type ArtifactRow, type PlacedArtifact } from './artifacts.js';
import { epochValues, getDetail, getEpochs, getSummary, INSERT_EPOCH, listSummaries, type RunFilter } from './queries.js';
import { buildRunFile, readRunFile } from './transfer.js';
import { sha256, writeFileAtomic, writeFileNoClobber } from './files.js';
import { describeFsCode } from '../shared/fs-errors.js';

export type { RunFilter } from './queries.js';
export type { ArtifactFile, ArtifactRow } from './artifacts.js';

export interface NewRun {
  name?: string;
  group?: string;
  experiment?: string;
  spec: ModelSpec;
  datasetId: string;
  seed: number;
  limit?: number;
  tags?: string[];
  notes?: string;
  /** The run whose saved model this one starts from. */
  continuedFrom?: string;
}

export type FinalStatus = Exclude<RunStatus, 'queued' | 'running'>;

export const INTERRUPTED_RUNNING = 'the training process ended unexpectedly; completed epochs are kept';
export const INTERRUPTED_QUEUED = 'Layerlab stopped before this run started';

/** Opens (creating and migrating) <home>/layerlab.db. Does not touch runs of other processes. */
/** True while a process with this pid exists (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function openStore(home: string): RunStore {
  return new RunStore(home, openDatabase(databasePath(home)));
}

const now = (): string => new Date().toISOString();
/** SQLite has no NaN: store it as NULL (read back as NaN). */
const real = (v: number): number | null => (Number.isNaN(v) ? null : v);
/** A set of tags: trimmed, no empties, no repeats. */
const tagSet = (tags: readonly string[] = []): string[] => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

export class RunStore {
  constructor(readonly home: string, private readonly db: Database.Database) {}

  /** Records a new run as `queued`. @returns its id (sortable by creation time). */
  createRun(run: NewRun): string {
    const id = newRunId();
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO runs (id, name, group_id, experiment_id, status, spec, dataset_id, seed, created_at, notes, limit_n, owner_pid, continued_from)
        VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        id, run.name || 'run', run.group ?? null, run.experiment ?? null, JSON.stringify(run.spec),
        run.datasetId, run.seed, now(), run.notes ?? '', run.limit ?? null, process.pid, run.continuedFrom ?? null);
      this.setTags(id, run.tags);
    })();
    return id;
  }

  /**
   * queued → running, with what the trainer chose. A later attempt of a running run (its queue
   * worker died and another took it up) moves the lost attempt's epochs, marks and evaluation
   * aside into lost_attempts first, so the run holds one attempt's epochs only; a repeated start
   * of the attempt already recorded changes nothing.
   * @returns false when the start was a repeat (nothing changed).
   * @throws UserError if the run is not queued (or, for a later attempt, not running or queued).
   */
  markRunning(id: string, info: { backend: string; trainCount: number; valCount: number; device?: string; notes?: BackendNotes; attempt?: number; worker?: RunWorker; lostWhy?: string }): boolean {
    return this.db.transaction(() => {
      const attempt = info.attempt ?? 1;
      const row = this.db.prepare('SELECT status, attempt, worker, backend, device, started_at FROM runs WHERE id = ?').get(id) as
        { status: RunStatus; attempt: number; worker: string | null; backend: string | null; device: string | null; started_at: string | null } | undefined;
      if (!row) throw new UserError(message('run.notFoundShort', { id }));
      if (info.attempt !== undefined && row.status === 'running' && attempt <= row.attempt) return false;
      if (attempt > 1 && row.status === 'running') {
        const epochs = getEpochs(this.db, id).map((e) => ({ ...e, loss: real(e.loss), accuracy: real(e.accuracy), valLoss: real(e.valLoss), valAccuracy: real(e.valAccuracy), samplesPerSecond: real(e.samplesPerSecond) }));
        this.db.prepare('INSERT OR REPLACE INTO lost_attempts (run_id, attempt, worker, backend, device, started_at, ended_at, why, epochs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(id, row.attempt, row.worker, row.backend, row.device, row.started_at, now(), info.lostWhy ?? 'its worker stopped reporting; the run was retried', JSON.stringify(epochs));
        this.db.prepare('DELETE FROM epochs WHERE run_id = ?').run(id);
        this.db.prepare('DELETE FROM evaluations WHERE run_id = ?').run(id);
        this.db.prepare('UPDATE runs SET stopped_epoch = NULL, best_epoch = NULL, model_epoch = NULL WHERE id = ?').run(id);
      } else {
        this.expectStatus(id, ['queued'], 'start');
      }
      this.db.prepare("UPDATE runs SET status = 'running', backend = ?, train_count = ?, val_count = ?, started_at = ?, device = ?, backend_notes = ?, attempt = ?, worker = ? WHERE id = ?")
        .run(info.backend, info.trainCount, info.valCount, now(), info.device ?? null, info.notes ? JSON.stringify(info.notes) : null, attempt, info.worker ? JSON.stringify(info.worker) : null, id);
      return true;
    }).immediate();
  }

  /**
   * Commits one completed epoch (its own transaction, so a crash keeps every earlier epoch).
   * Idempotent by (run, attempt, epoch): a report of an epoch already recorded, or of an attempt
   * that is not the run's own, is ignored.
   * @returns false when the report was ignored.
   * @throws UserError unless the run is running and this is the next epoch (1, 2, …) or one it has.
   */
  addEpoch(id: string, e: EpochRecord, attempt?: number): boolean {
    return this.db.transaction(() => {
      this.expectStatus(id, ['running'], 'record an epoch');
      if (attempt !== undefined && attempt !== (this.db.prepare('SELECT attempt FROM runs WHERE id = ?').pluck().get(id) as number)) return false;
      const last = this.db.prepare('SELECT coalesce(max(epoch), 0) FROM epochs WHERE run_id = ?').pluck().get(id) as number;
      if (attempt !== undefined && e.epoch <= last) return false;
      if (e.epoch !== last + 1) throw new UserError(`run ${id}: epoch ${e.epoch} does not follow epoch ${last}`);
      this.db.prepare(INSERT_EPOCH).run(...epochValues(id, e));
      return true;
    }).immediate();
  }

  /**
   * Records what the run's callbacks did. @throws UserError unless the run is running and
   * every epoch named is one it recorded.
   */
  setMarks(id: string, marks: RunMarks): void {
    this.db.transaction(() => {
      this.expectStatus(id, ['running'], 'record its callbacks');
      const last = this.db.prepare('SELECT coalesce(max(epoch), 0) FROM epochs WHERE run_id = ?').pluck().get(id) as number;
      for (const e of [marks.stoppedEpoch, marks.bestEpoch, marks.modelEpoch]) {
        if (e !== null && (!Number.isInteger(e) || e < 1 || e > last)) throw new UserError(`run ${id}: epoch ${e} is not one of its ${last} epochs`);
      }
      this.db.prepare('UPDATE runs SET stopped_epoch = ?, best_epoch = ?, model_epoch = ? WHERE id = ?')
        .run(marks.stoppedEpoch, marks.bestEpoch, marks.modelEpoch === last ? null : marks.modelEpoch, id);
    }).immediate();
  }

  /** Records (or replaces) the run's evaluation. */
  setEvaluation(id: string, ev: EvaluationRecord): void {
    this.db.transaction(() => {
      this.requireStatus(id);
      this.insertEvaluation(id, ev);
    }).immediate();
  }

  /**
   * Ends a run: exactly once. `completed` needs a running run; the others may end a queued one.
   * @throws UserError if the run already ended (or is unknown).
   */
  finishRun(id: string, status: FinalStatus, error?: string): void {
    this.db.transaction(() => {
      this.expectStatus(id, status === 'completed' ? ['running'] : ['queued', 'running'], `become ${status}`);
      this.db.prepare('UPDATE runs SET status = ?, error = ?, ended_at = ? WHERE id = ?').run(status, error ?? null, now(), id);
    }).immediate();
  }

  /**
   * Marks runs a dead process left `running` (or `queued`: the queue lives in memory) as
   * `interrupted`, keeping their epochs, and makes the artifact folders agree with the rows
   * (see recoverArtifactFolders). Runs whose owning process is still alive (another Layerlab:
   * the app beside a CLI) are left alone. Call once at start-up, before any trainer starts.
   * @returns the ids of the runs it marked.
   */
  recoverInterrupted(isAlive: (pid: number) => boolean = processAlive): string[] {
    const live = new Set<string>();
    const ids = this.db.transaction(() => {
      const open = this.db.prepare("SELECT id, owner_pid FROM runs WHERE status IN ('queued', 'running')").all() as { id: string; owner_pid: number | null }[];
      const dead: string[] = [];
      for (const r of open) {
        if (r.owner_pid !== null && r.owner_pid !== process.pid && isAlive(r.owner_pid)) live.add(r.id);
        else dead.push(r.id);
      }
      const mark = this.db.prepare(`UPDATE runs SET status = 'interrupted', ended_at = ?,
        error = CASE status WHEN 'queued' THEN ? ELSE ? END WHERE id = ?`);
      for (const id of dead) mark.run(now(), INTERRUPTED_QUEUED, INTERRUPTED_RUNNING, id);
      return dead;
    }).immediate();
    recoverArtifactFolders(this.home, (runId) => (live.has(runId) ? 'live' : this.artifactsByKind(runId)));
    return ids;
  }

  /** Experiment ids, the one with the newest run first. */
  listExperimentIds(limit: number): string[] {
    const rows = this.db.prepare(`SELECT experiment_id AS id FROM runs WHERE experiment_id IS NOT NULL
      GROUP BY experiment_id ORDER BY MAX(created_at) DESC, experiment_id LIMIT ?`).all(limit) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Runs matching every given field of the filter, newest first. */
  listRuns(filter: RunFilter = {}): RunSummary[] {
    return listSummaries(this.db, filter);
  }

  /** The run with its spec, epochs, evaluation and artifacts; null if there is none. */
  getRun(id: string): RunDetail | null {
    return getDetail(this.db, id);
  }

  /** Changes what the user may change. Tags given replace the old set. @throws UserError for an unknown id. */
  updateRun(id: string, changes: { name?: string; notes?: string; tags?: string[] }): void {
    this.db.transaction(() => {
      this.requireStatus(id);
      if (changes.name !== undefined) this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(changes.name, id);
      if (changes.notes !== undefined) this.db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(changes.notes, id);
      if (changes.tags !== undefined) {
        this.db.prepare('DELETE FROM run_tags WHERE run_id = ?').run(id);
        this.setTags(id, changes.tags);
      }
    }).immediate();
  }

  /**
   * Deletes runs with everything they own, then their folders <home>/runs/<id> (after the
   * commit: a stray folder is harmless, a row naming deleted files is not).
   * @throws UserError naming the first unknown id; then nothing is deleted.
   */
  deleteRuns(ids: readonly string[]): void {
    this.db.transaction(() => {
      for (const id of ids) {
        this.requireStatus(id);
        // A run another live Layerlab (the app, another CLI) is training: deleting it would lose
        // what that process goes on reporting. Its owner must stop it first.
        const row = this.db.prepare('SELECT status, owner_pid FROM runs WHERE id = ?').get(id) as { status: string; owner_pid: number | null };
        if ((row.status === 'running' || row.status === 'queued') && row.owner_pid !== null && row.owner_pid !== process.pid && processAlive(row.owner_pid)) {
          throw new UserError(message(row.status === 'running' ? 'run.otherProcessTraining' : 'run.otherProcessQueued', { id, pid: row.owner_pid }));
        }
      }
      const del = this.db.prepare('DELETE FROM runs WHERE id = ?');
      for (const id of ids) del.run(id);
    }).immediate();
    for (const id of ids) rmSync(runFolder(this.home, id), { recursive: true, force: true });
  }

  /**
   * Writes a kind's files to <home>/runs/<runId>/<kind>/ durably, then records them in one
   * transaction (replacing that kind's earlier files and rows). Either both or neither remain.
   */
  saveArtifact(runId: string, kind: string, files: readonly ArtifactFile[]): ArtifactRow[] {
    this.requireStatus(runId);
    const placed = placeArtifact(this.home, runId, kind, files);
    this.commitPlaced([placed], () => {
      this.db.prepare('DELETE FROM artifacts WHERE run_id = ? AND kind = ?').run(runId, kind);
      this.insertArtifacts(runId, placed.rows);
    });
    return placed.rows;
  }

  /**
   * Writes a finished run, its artifacts inlined, as one JSON file (atomically). An existing file
   * is replaced only when `overwrite` says so; else the export is refused and the file untouched.
   * @param out an absolute path; default <home>/exports/<id>.layerlab-run.json
   */
  exportRun(id: string, out?: string, o: { overwrite?: boolean } = {}): { path: string; bytes: number } {
    const run = this.getRun(id);
    if (!run) throw new UserError(message('run.notFoundShort', { id }));
    if (!TERMINAL_STATUSES.includes(run.status)) throw new UserError(message('run.exportUnfinished', { id, status: run.status }));
    const artifacts = run.artifacts.map((a) => {
      const bytes = this.readArtifact(a);
      return { kind: a.kind, name: a.path.slice(a.path.lastIndexOf('/') + 1), bytes };
    });
    const path = out ?? join(this.home, 'exports', `${id}.layerlab-run.json`);
    const bytes = Buffer.from(`${JSON.stringify(buildRunFile(run, artifacts), null, 1)}\n`);
    if (!out) mkdirSync(join(this.home, 'exports'), { recursive: true });
    try {
      if (o.overwrite) writeFileAtomic(path, bytes);
      else writeFileNoClobber(path, bytes);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UserError(message('run.exportExists', { path }));
      throw new UserError(`${path}: cannot write the export (${describeFsCode(code) ?? (err as Error).message})`);
    }
    return { path, bytes: bytes.byteLength };
  }

  /**
   * Adds the run in an export file under a new id (the original is kept in `imported_from` and
   * in the notes). The file is checked completely first; a bad one changes nothing. A run already
   * here (the exported run itself, or an earlier import of it) is answered with `reused: true`
   * and nothing is added: importing twice is importing once.
   * @throws UserError "<file>: <field>: …" for a malformed or tampered file.
   */
  importRun(file: string): RunSummary & { reused?: boolean } {
    const f = readRunFile(file);
    const present = this.db.prepare('SELECT id FROM runs WHERE id = ? OR imported_from = ? ORDER BY (id = ?) DESC, created_at LIMIT 1').pluck().get(f.run.id, f.run.id, f.run.id) as string | undefined;
    if (present) return { ...getSummary(this.db, present)!, reused: true };
    const id = newRunId();
    const byKind = new Map<string, ArtifactFile[]>();
    for (const a of f.artifacts) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), { name: a.name, bytes: a.bytes }]);
    const placed: PlacedArtifact[] = [];
    try {
      for (const [kind, files] of byKind) placed.push(placeArtifact(this.home, id, kind, files));
    } catch (err) {
      for (const p of placed) p.undo();
      rmSync(runFolder(this.home, id), { recursive: true, force: true });
      throw err;
    }
    const r = f.run;
    const notes = `${r.notes}${r.notes ? '\n\n' : ''}Imported from run ${r.id}.`;
    this.commitPlaced(placed, () => {
      this.db.prepare(`INSERT INTO runs (id, name, group_id, experiment_id, status, spec, dataset_id, seed, backend, created_at,
          started_at, ended_at, error, notes, train_count, val_count, limit_n, imported_from, stopped_epoch, best_epoch, model_epoch, continued_from,
          device, backend_notes, worker, attempt)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        id, r.name, r.group, r.experiment, r.status, JSON.stringify(f.spec), r.datasetId, r.seed, r.backend, r.createdAt,
        r.startedAt, r.endedAt, r.error, notes, r.trainCount, r.valCount, r.limit, r.id,
        r.stoppedEpoch, r.bestEpoch, r.modelEpoch, r.continuedFrom, r.device, r.backendNotes ? JSON.stringify(r.backendNotes) : null,
        r.worker ? JSON.stringify(r.worker) : null, r.attempt);
      this.setTags(id, r.tags);
      const epoch = this.db.prepare(INSERT_EPOCH);
      for (const e of f.epochs) epoch.run(...epochValues(id, e));
      const lost = this.db.prepare('INSERT INTO lost_attempts (run_id, attempt, worker, backend, device, started_at, ended_at, why, epochs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const a of f.lostAttempts) {
        const epochs = a.epochs.map((e) => ({ ...e, loss: real(e.loss), accuracy: real(e.accuracy), valLoss: real(e.valLoss), valAccuracy: real(e.valAccuracy), samplesPerSecond: real(e.samplesPerSecond) }));
        lost.run(id, a.attempt, a.worker ? JSON.stringify(a.worker) : null, a.backend, a.device, a.startedAt, a.endedAt, a.why, JSON.stringify(epochs));
      }
      if (f.evaluation) this.insertEvaluation(id, f.evaluation);
      for (const p of placed) this.insertArtifacts(id, p.rows);
    }, () => rmSync(runFolder(this.home, id), { recursive: true, force: true }));
    return getSummary(this.db, id)!;
  }

  /** The bytes of one artifact file of a run, checked against its recorded size and sha256; null when the run has none of that kind and name. */
  readArtifactFile(runId: string, kind: string, name: string): Uint8Array | null {
    const row = this.artifactsByKind(runId)?.get(kind)?.find((a) => a.path.endsWith(`/${name}`));
    return row ? this.readArtifact(row) : null;
  }

  close(): void {
    this.db.close();
  }

  /** Runs `write` in one transaction; keeps the placed files on commit, removes them on failure. */
  private commitPlaced(placed: PlacedArtifact[], write: () => void, onFailure?: () => void): void {
    try {
      this.db.transaction(write).immediate();
    } catch (err) {
      for (const p of placed) p.undo();
      onFailure?.();
      throw err;
    }
    for (const p of placed) p.keep();
  }

  private artifactsByKind(runId: string): Map<string, ArtifactRow[]> | null {
    if (!this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) return null;
    const rows = this.db.prepare('SELECT kind, path, bytes, sha256 FROM artifacts WHERE run_id = ?').all(runId) as ArtifactRow[];
    const byKind = new Map<string, ArtifactRow[]>();
    for (const r of rows) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
    return byKind;
  }

  private readArtifact(a: ArtifactRow): Uint8Array {
    const file = join(this.home, ...a.path.split('/'));
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new UserError(`${file}: cannot read this artifact (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (bytes.byteLength !== a.bytes || sha256(bytes) !== a.sha256) {
      throw new UserError(`${file}: does not match its recorded size and sha256: the file was changed after it was saved`);
    }
    return bytes;
  }

  private setTags(id: string, tags: readonly string[] | undefined): void {
    const insert = this.db.prepare('INSERT INTO run_tags (run_id, tag) VALUES (?, ?)');
    for (const tag of tagSet(tags)) insert.run(id, tag);
  }

  private insertEvaluation(id: string, ev: EvaluationRecord): void {
    this.db.prepare('INSERT OR REPLACE INTO evaluations VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      id, ev.split, ev.count, real(ev.loss), real(ev.accuracy), JSON.stringify(ev.confusion), JSON.stringify(ev.misclassified));
  }

  private insertArtifacts(id: string, rows: readonly ArtifactRow[]): void {
    const insert = this.db.prepare('INSERT INTO artifacts (run_id, kind, path, bytes, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const a of rows) insert.run(id, a.kind, a.path, a.bytes, a.sha256, now());
  }

  /** The run's status. @throws UserError naming an unknown id. */
  private requireStatus(id: string): RunStatus {
    const status = this.db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(id) as RunStatus | undefined;
    if (!status) throw new UserError(message('run.notFoundShort', { id }));
    return status;
  }

  private expectStatus(id: string, allowed: readonly RunStatus[], action: string): void {
    const status = this.requireStatus(id);
    if (!allowed.includes(status)) throw new UserError(`run ${id} is ${status}: it cannot ${action}`);
  }
}
