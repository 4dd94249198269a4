/**
 * Artifact files of a run: <home>/runs/<runId>/<kind>/<name>. A kind's files are written into a
 * staging folder (each file fsynced), the folder is fsynced and renamed into place, and only then
 * does the caller insert the rows. So the rows never name a missing or half-written file, and a
 * kind with several files (model.json + weights.bin) appears all at once or not at all.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../shared/errors.js';
import { fsyncDir, sha256, writeNewFileSynced } from './files.js';

export interface ArtifactFile { name: string; bytes: Uint8Array }

/** An artifact as the database keeps it; `path` is relative to the data folder, '/'-separated. */
export interface ArtifactRow { kind: string; path: string; bytes: number; sha256: string }

/** Files in place, rows not yet committed: `keep` after the commit, `undo` if it failed. */
export interface PlacedArtifact {
  rows: ArtifactRow[];
  keep(): void;
  undo(): void;
}

/** Kinds are folder names we choose (model, plots…): lower case, no dots. */
export const KIND_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Why a file name is unusable, or null. Names starting with '.' are kept for our temp files. */
export function badFileName(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (/[/\\\0]/.test(name)) return 'contains a path separator or NUL';
  if (name.startsWith('.')) return "starts with '.'";
  return null;
}

export function runFolder(home: string, runId: string): string {
  return join(home, 'runs', runId);
}

/**
 * Writes a kind's files durably and moves them into place, replacing an earlier set of that kind.
 * On any failure nothing is left behind: no staging folder, and the earlier set is restored.
 * @throws UserError for a bad kind or file name; the file system's error otherwise.
 */
export function placeArtifact(home: string, runId: string, kind: string, files: readonly ArtifactFile[]): PlacedArtifact {
  if (!KIND_PATTERN.test(kind)) throw new UserError(`artifact kind '${kind}': use lower-case letters, digits, '-' or '_'`);
  if (files.length === 0) throw new UserError(`artifact '${kind}' of run ${runId}: no files`);
  const seen = new Set<string>();
  for (const f of files) {
    const bad = badFileName(f.name);
    if (bad) throw new UserError(`artifact file name '${f.name}' ${bad}`);
    if (seen.has(f.name)) throw new UserError(`artifact file name '${f.name}' appears twice`);
    seen.add(f.name);
  }
  const folder = runFolder(home, runId);
  const tag = randomBytes(6).toString('hex');
  const staging = join(folder, `.staging-${kind}-${tag}`);
  const target = join(folder, kind);
  const aside = join(folder, `.old-${kind}-${tag}`);
  let movedAside = false;
  let placed = false;

  const undo = (): void => {
    if (placed) rmSync(target, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
    if (movedAside) renameSync(aside, target);
    placed = false;
    movedAside = false;
  };

  try {
    mkdirSync(folder, { recursive: true });
    mkdirSync(staging);
    const rows = files.map((f): ArtifactRow => {
      writeNewFileSynced(join(staging, f.name), f.bytes);
      return { kind, path: `runs/${runId}/${kind}/${f.name}`, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) };
    });
    fsyncDir(staging);
    if (existsSync(target)) { renameSync(target, aside); movedAside = true; }
    renameSync(staging, target);
    placed = true;
    fsyncDir(folder);
    return { rows, keep: () => rmSync(aside, { recursive: true, force: true }), undo };
  } catch (err) {
    undo();
    throw err;
  }
}

/** Whether a folder holds exactly the recorded files, byte for byte. */
function folderMatches(dir: string, rows: readonly ArtifactRow[]): boolean {
  if (!existsSync(dir)) return false;
  const names = readdirSync(dir).sort();
  const recorded = rows.map((r) => r.path.slice(r.path.lastIndexOf('/') + 1)).sort();
  if (names.length !== recorded.length || names.some((n, i) => n !== recorded[i])) return false;
  return rows.every((r) => {
    const file = join(dir, r.path.slice(r.path.lastIndexOf('/') + 1));
    return statSync(file).size === r.bytes && sha256(readFileSync(file)) === r.sha256;
  });
}

/**
 * Makes the artifact folders agree with the database after a process died mid-way: the rows are
 * the truth. Temp entries (dot names: staging folders, a trainer's output) go; a set moved aside
 * comes back if the rows still name it (the commit never happened), else it goes; a kind folder
 * no row names goes; so does the folder of a run the database does not know (a delete or an
 * import that did not finish).
 * Call only when no other process is writing.
 * @param recorded the artifact rows of a run by kind, or null if there is no such run
 */
export function recoverArtifactFolders(home: string, recorded: (runId: string) => Map<string, ArtifactRow[]> | null | 'live'): void {
  const runs = join(home, 'runs');
  if (!existsSync(runs)) return;
  for (const run of readdirSync(runs, { withFileTypes: true })) {
    if (!run.isDirectory()) continue;
    const folder = join(runs, run.name);
    const kinds = recorded(run.name);
    // Another live Layerlab process is writing this run: not ours to tidy.
    if (kinds === 'live') continue;
    if (!kinds) { rmSync(folder, { recursive: true, force: true }); continue; }
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      const old = /^\.old-(.+)-[0-9a-f]{12}$/.exec(entry);
      if (!old) {
        // Dot names in a run folder are temp files: our staging folders, the trainer's output.
        if (entry.startsWith('.')) rmSync(path, { recursive: true, force: true });
        continue;
      }
      const target = join(folder, old[1]);
      if (folderMatches(path, kinds.get(old[1]) ?? [])) {
        rmSync(target, { recursive: true, force: true });
        renameSync(path, target);
      } else {
        rmSync(path, { recursive: true, force: true });
      }
    }
    for (const entry of readdirSync(folder)) {
      if (KIND_PATTERN.test(entry) && !kinds.has(entry)) rmSync(join(folder, entry), { recursive: true, force: true });
    }
  }
}
