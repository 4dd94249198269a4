/**
 * What makes two imports the same: the same bytes (a file's, or every file's in a folder under
 * the same relative names) read with the same options. Its sha256 is kept in the manifest
 * (`contentKey`), so importing the same thing again answers the dataset already made.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImporterOptions } from './import.js';
import type { SourceFormat } from './formats/types.js';

/** Folders deeper than this are not walked (an image folder is two deep). */
const MAX_DEPTH = 16;

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 over a folder's files: each relative name with its own sha256, in name order; links to folders are not followed. */
async function folderSha256(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) return;
    const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(p, r, depth + 1);
      else if (e.isFile() || (e.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isFile())) {
        hash.update(`${r}\0${await fileSha256(p)}\n`);
      }
    }
  };
  await walk(dir, '', 0);
  return hash.digest('hex');
}

/** The options that change what an import makes (the name does not). */
function effectiveOptions(format: SourceFormat, o: ImporterOptions): Record<string, unknown> {
  return {
    format,
    labelColumn: o.labelColumn ?? null,
    imageShape: o.imageShape ?? null,
    channels: o.channels ?? null,
    xKey: o.xKey ?? null,
    yKey: o.yKey ?? null,
  };
}

/**
 * The content key of an import, and the source file's own sha256 (null for a folder). Called after
 * the parser accepted the source, so what is hashed is a regular file or a folder. `knownSha256`:
 * the file's sha256 when the parser computed it.
 */
export async function contentKey(source: string, format: SourceFormat, o: ImporterOptions, knownSha256?: string): Promise<{ key: string; sourceSha256: string | null }> {
  const isDir = statSync(source).isDirectory();
  // A parser that hashed the bytes it read (CSV) saves reading the file again.
  const sourceSha256 = isDir ? null : knownSha256 ?? await fileSha256(source);
  const body = {
    v: 1,
    source: isDir ? `folder:${await folderSha256(source)}` : `file:${sourceSha256}`,
    labels: o.labelsPath ? await fileSha256(o.labelsPath) : null,
    options: effectiveOptions(format, o),
  };
  return { key: createHash('sha256').update(JSON.stringify(body)).digest('hex'), sourceSha256 };
}
