/**
 * Opening the run history database: the version check, the pragmas, the migrations.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync } from 'node:fs';
import { makeFolders } from './files.js';
import { dirname, join } from 'node:path';
import { randomInt } from 'node:crypto';
import { UserError } from '../shared/errors.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';

/** The database file inside a data folder. */
export function databasePath(home: string): string {
  return join(home, 'layerlab.db');
}

/**
 * Opens (creating it and its folder if need be) and migrates the database at `file`.
 * A file from a newer Layerlab is refused before anything is written to it.
 * @throws UserError when the file's schema is newer than this code knows.
 */
export function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    // The data folder and the database are the user's alone: 0700 and 0600 when we create them
    // (SQLite gives the -wal and -shm files the database's own permissions).
    makeFolders(dirname(file));
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    db = new Database(file);
  } catch (err) {
    throw databaseFailure(file, err);
  }
  try {
    // Read before any pragma that writes (journal_mode rewrites the header), so a newer
    // Layerlab's file is left exactly as it was.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new UserError(`${file}: made by a newer Layerlab (schema ${version}, this one knows ${SCHEMA_VERSION}): update Layerlab`);
    }
    db.pragma('journal_mode = WAL');
    // FULL: in WAL mode this is one fsync of the WAL per commit, i.e. one per epoch, which is
    // nothing beside an epoch's seconds; in return an epoch a face has shown survives a power
    // loss, not only a crash of the process (NORMAL may roll back the last commits on power loss).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // The desktop app and a CLI may share one data folder: wait for the other writer.
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw databaseFailure(file, err);
  }
}

/** better-sqlite3's and Node's codes for a database that cannot be used, in words with what to do. */
const DATABASE_PROBLEMS: Record<string, string> = {
  SQLITE_NOTADB: 'is not a Layerlab database, or is damaged',
  SQLITE_CORRUPT: 'is damaged (corrupt)',
  SQLITE_CANTOPEN: 'cannot be opened (check that the folder exists and that you may read and write it)',
  SQLITE_READONLY: 'is read-only; check its permissions and those of its folder',
  SQLITE_PERM: 'cannot be opened: permission denied; check its permissions',
  SQLITE_IOERR: 'cannot be read: the disk reported an input/output error',
  SQLITE_FULL: 'cannot be written: the disk is full; free some space and try again',
  SQLITE_BUSY: 'is locked by another program; close it (or wait for it) and try again',
  SQLITE_LOCKED: 'is locked by another program; close it (or wait for it) and try again',
  EACCES: 'cannot be opened: permission denied; check its permissions and those of its folder',
  EPERM: 'cannot be opened: permission denied; check its permissions and those of its folder',
  ENOSPC: 'cannot be created: the disk is full; free some space and try again',
  EROFS: 'cannot be created: the file system is read-only; choose another data folder with --home',
  ENOTDIR: 'cannot be created: a part of its path is not a folder; choose another data folder with --home',
};

/**
 * A database that cannot be opened, as one line naming the file and what to do (a damaged one: move
 * it aside, and Layerlab starts a new history). UserErrors pass through; unknown failures too.
 */
export function databaseFailure(file: string, err: unknown): unknown {
  if (err instanceof UserError) return err;
  const code = (err as { code?: string } | undefined)?.code ?? '';
  const base = Object.keys(DATABASE_PROBLEMS).find((k) => code === k || code.startsWith(`${k}_`));
  if (!base) return err;
  const damaged = base === 'SQLITE_NOTADB' || base === 'SQLITE_CORRUPT';
  const advice = damaged ? `; move it aside (mv ${file} ${file}.broken) to start a new history, or restore it from a backup` : '';
  return new UserError(`${file}: ${DATABASE_PROBLEMS[base]}${advice}`);
}

/**
 * A failure of the open database met while serving a request (a page damaged after the file
 * opened, a disk that stopped answering, a lock held past the busy timeout), as the same one line
 * naming the file. Only SQLite's own codes: a file error of some other file passes through.
 */
export function storeFailure(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? databaseFailure(file, err) : err;
}

/**
 * A run id that sorts by creation time: 9 base36 digits of milliseconds (good until the year
 * 5188), then 7 random base36 digits so ids made in the same millisecond by two processes differ.
 */
export function newRunId(now = Date.now()): string {
  let random = '';
  for (let i = 0; i < 7; i++) random += randomInt(36).toString(36);
  return now.toString(36).padStart(9, '0') + random;
}
