/**
 * The schema, as numbered migrations. Never edit a released migration: add the next one.
 * `PRAGMA user_version` holds the number of the last migration applied.
 */
import type Database from 'better-sqlite3';

const STATUSES = "'queued', 'running', 'completed', 'stopped', 'failed', 'interrupted'";

/** Index i holds migration i + 1. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    group_id      TEXT,
    experiment_id TEXT,
    status        TEXT NOT NULL CHECK (status IN (${STATUSES})),
    spec          TEXT NOT NULL CHECK (json_valid(spec)),
    dataset_id    TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    backend       TEXT,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    ended_at      TEXT,
    error         TEXT,
    notes         TEXT NOT NULL DEFAULT '',
    train_count   INTEGER,
    val_count     INTEGER,
    limit_n       INTEGER,
    -- the id the run had in the history it was exported from
    imported_from TEXT
  );
  CREATE INDEX runs_by_created ON runs (created_at);
  CREATE INDEX runs_by_group ON runs (group_id);
  CREATE INDEX runs_by_experiment ON runs (experiment_id);
  CREATE INDEX runs_by_status ON runs (status);

  CREATE TABLE run_tags (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    tag    TEXT NOT NULL,
    PRIMARY KEY (run_id, tag)
  ) WITHOUT ROWID;
  CREATE INDEX run_tags_by_tag ON run_tags (tag);

  -- NaN metrics (no validation split) are stored as NULL: SQLite has no NaN.
  CREATE TABLE epochs (
    run_id             TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    epoch              INTEGER NOT NULL CHECK (epoch >= 1),
    loss               REAL,
    accuracy           REAL,
    val_loss           REAL,
    val_accuracy       REAL,
    seconds            REAL NOT NULL,
    samples_per_second REAL,
    PRIMARY KEY (run_id, epoch)
  ) WITHOUT ROWID;

  -- One evaluation per run (RunDetail.evaluation); a new one replaces the old.
  CREATE TABLE evaluations (
    run_id        TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    split         TEXT NOT NULL CHECK (split IN ('test', 'validation')),
    count         INTEGER NOT NULL,
    loss          REAL,
    accuracy      REAL,
    confusion     TEXT NOT NULL CHECK (json_valid(confusion)),
    misclassified TEXT NOT NULL CHECK (json_valid(misclassified))
  );

  -- path is relative to the data folder, with '/' separators.
  CREATE TABLE artifacts (
    run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    path       TEXT NOT NULL,
    bytes      INTEGER NOT NULL CHECK (bytes >= 0),
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    created_at TEXT NOT NULL,
    PRIMARY KEY (run_id, path)
  ) WITHOUT ROWID;
  `,
  // 2: which process owns a queued or running run, so a second Layerlab process (a CLI beside
  // the app) does not mark the first one's live runs interrupted.
  `
  ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
  `,
  // 3: what Keras' callbacks did (the epoch early stopping ended the run after, the best epoch,
  // the epoch whose weights the run keeps), and the run a continued run started from.
  `
  ALTER TABLE runs ADD COLUMN stopped_epoch INTEGER;
  ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
  ALTER TABLE runs ADD COLUMN model_epoch INTEGER;
  ALTER TABLE runs ADD COLUMN continued_from TEXT;
  `,
  // 4: layer statistics after each epoch (shared/layer-stats.ts: LayerStat[] as JSON); NULL when
  // none were recorded (probeSize 0, runs from before). Deleted with the epoch, so with the run.
  `
  ALTER TABLE epochs ADD COLUMN layers TEXT CHECK (layers IS NULL OR json_valid(layers));
  `,
  // 5: the device a run trained on (adapter vendor and architecture, software or not) and how its
  // backend was chosen (rungs skipped and why, the auto probe's figures).
  `
  ALTER TABLE runs ADD COLUMN device TEXT;
  ALTER TABLE runs ADD COLUMN backend_notes TEXT CHECK (backend_notes IS NULL OR json_valid(backend_notes));
  `,
  // 6: runs trained by workers on a Redis queue (issue 17). The worker that trained the run (JSON
  // {host, pid, name, backend, device}; NULL for a local trainer), the attempt whose epochs the
  // run holds, and each attempt lost before it (a worker killed mid-run): its partial epochs kept
  // apart as JSON, never in the epochs table, so no statistic counts them.
  `
  ALTER TABLE runs ADD COLUMN worker TEXT CHECK (worker IS NULL OR json_valid(worker));
  ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1 CHECK (attempt >= 1);
  CREATE TABLE lost_attempts (
    run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    attempt    INTEGER NOT NULL CHECK (attempt >= 1),
    worker     TEXT CHECK (worker IS NULL OR json_valid(worker)),
    backend    TEXT,
    device     TEXT,
    started_at TEXT,
    ended_at   TEXT NOT NULL,
    why        TEXT NOT NULL,
    epochs     TEXT NOT NULL CHECK (json_valid(epochs)),
    PRIMARY KEY (run_id, attempt)
  ) WITHOUT ROWID;
  `,
];

/** The schema this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to SCHEMA_VERSION. Each migration and its user_version bump commit
 * together, under BEGIN IMMEDIATE so two processes opening a new file cannot both migrate it.
 */
export function migrate(db: Database.Database): void {
  const step = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version >= SCHEMA_VERSION) return false;
    db.exec(MIGRATIONS[version]);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) { /* one migration per transaction */ }
}
