/**
 * Opening the run history database: the version check, the pragmas, the migrations.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
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
    throw err;
  }
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
