/**
 * Downloading a catalog dataset (Fashion-MNIST, MNIST) into <home>/datasets/<folder>/, for machines
 * that are online. Layerlab works offline; this is only ever run when the user asks.
 *
 * - Each .gz goes to <folder>/.download/<name>.gz.part first. An interrupted download keeps its part
 *   and the next attempt asks the same address for the rest (HTTP Range); a server that answers
 *   with the whole file instead is read from the start.
 * - A finished part is checked by what it holds: decompressed (never beyond the published size)
 *   and hashed against the published sha256 of the data. Only then is it fsynced and renamed
 *   into place. A part that fails is deleted, so the next attempt starts clean.
 * - The dataset counts as present only when all four files are in place (findIdxFiles).
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { syncDir } from '../cache/write.js';
import { DatasetError } from '../errors.js';
import { message, type MessageCode } from '../../shared/messages.js';
import { catalogFiles, type IdxCatalogEntry, type IdxCatalogFile } from './idx-datasets.js';

export interface DownloadProgress {
  phase: 'downloading' | 'verifying';
  /** Bytes of the four .gz files on disk so far, and their expected total. */
  done: number;
  total: number;
}

export interface DownloadOptions {
  /** A base address to use instead of the published ones (an organisation's own mirror). */
  mirror?: string;
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** No answer, or no bytes, for this long: that address is given up. */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  dir: string;
  /** Files fetched now (those already present and intact are not fetched again). */
  fetched: string[];
  /** Bytes received over the network in this call. */
  received: number;
}

/** A compressed file may be somewhat larger than its data when it does not compress; no more than this. */
const GZ_SLACK = 1 << 20;

export function downloadDir(entry: IdxCatalogEntry, home: string): string {
  return join(home, 'datasets', entry.folder);
}

export async function downloadIdxDataset(entry: IdxCatalogEntry, home: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const dir = downloadDir(entry, home);
  const partDir = join(dir, '.download');
  mkdirSync(partDir, { recursive: true });
  const bases = options.mirror ? [mirrorBase(options.mirror)] : entry.mirrors;
  const result: DownloadResult = { dir, fetched: [], received: 0 };

  const todo: IdxCatalogFile[] = [];
  for (const file of catalogFiles(entry)) {
    const final = join(dir, `${file.name}.gz`);
    if (existsSync(final) && (await holds(final, file)) === null) continue;
    todo.push(file);
  }
  const sizes = new Map(todo.map((f) => [f.name, f.gzBytes]));
  const onDisk = new Map(todo.map((f) => [f.name, partSize(partPath(partDir, f))]));
  const report = (phase: DownloadProgress['phase']) => options.onProgress?.({
    phase,
    done: [...onDisk.values()].reduce((a, b) => a + b, 0),
    total: [...sizes.values()].reduce((a, b) => a + b, 0),
  });
  report('downloading');

  for (const file of todo) {
    const part = partPath(partDir, file);
    const failures: string[] = [];
    let done = false;
    for (const base of bases) {
      const url = new URL(`${file.name}.gz`, base).href;
      try {
        result.received += await fetchInto(url, part, file, options, (length, now) => {
          if (length !== null) sizes.set(file.name, length);
          onDisk.set(file.name, now);
          report('downloading');
        });
      } catch (err) {
        if (options.signal?.aborted) throw new DatasetError(`download of ${entry.name} stopped; what arrived is kept in ${partDir} and the next download resumes from there`);
        if (!(err instanceof FetchFailure)) throw err;
        failures.push(`${hostOf(url)}: ${err.message}`);
        continue;
      }
      report('verifying');
      const problem = await holds(part, file);
      if (problem !== null) {
        rmSync(part, { force: true });
        rmSync(`${part}.url`, { force: true });
        onDisk.set(file.name, 0);
        throw new DatasetError(`${url}: ${problem}, so it is not ${entry.name}'s ${file.name}; that file was removed: try again later or another mirror`);
      }
      const final = join(dir, `${file.name}.gz`);
      renameSync(part, final);
      rmSync(`${part}.url`, { force: true });
      syncDir(dir);
      result.fetched.push(file.name);
      done = true;
      break;
    }
    if (!done) {
      // Coded (dataset.downloadFailed…), so a page says it in the user's language; the failures stay technical.
      const kept = partSize(part) > 0 ? { size: formatBytes(partSize(part)) } : null;
      const apt = entry.debianPackage ? { apt: entry.debianPackage } : null;
      const code: MessageCode = kept ? (apt ? 'dataset.downloadFailedKeptApt' : 'dataset.downloadFailedKept') : (apt ? 'dataset.downloadFailedApt' : 'dataset.downloadFailed');
      throw new DatasetError(message(code, { name: entry.name, details: failures.join('; '), dir, ...kept, ...apt }));
    }
  }
  try { rmdirSync(partDir); } catch { /* parts of an interrupted download remain */ }
  return result;
}

/** Something went wrong between us and one address: the next one is tried. */
class FetchFailure extends Error {}

/** A mirror's base address, ending in '/', or a one-line refusal (it may come from LAYERLAB_DATASET_MIRROR). */
function mirrorBase(mirror: string): string {
  let url: URL | null = null;
  try { url = new URL(mirror); } catch { /* refused below */ }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new DatasetError(`dataset mirror '${mirror.slice(0, 200)}': not an http:// or https:// address`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function hostOf(url: string): string {
  return new URL(url).host;
}

function partPath(partDir: string, file: IdxCatalogFile): string {
  return join(partDir, `${file.name}.gz.part`);
}

function partSize(part: string): number {
  try { return statSync(part).size; } catch { return 0; }
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/**
 * Fetches `url` into `part`, resuming what is there when it came from the same address.
 * Returns the bytes received; throws FetchFailure for anything the next address might not have.
 */
async function fetchInto(url: string, part: string, file: IdxCatalogFile, options: DownloadOptions, progress: (length: number | null, onDisk: number) => void): Promise<number> {
  const limit = file.bytes + GZ_SLACK;
  const sameSource = existsSync(`${part}.url`) && readFileSync(`${part}.url`, 'utf8') === url;
  let have = sameSource ? partSize(part) : 0;
  const idle = options.idleTimeoutMs ?? 30_000;
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  let timer = setTimeout(abort, idle);
  const touch = () => { clearTimeout(timer); timer = setTimeout(abort, idle); };

  let fd: number | undefined;
  let received = 0;
  try {
    let res: Response;
    try {
      res = await fetchSameHost(url, have > 0 ? { Range: `bytes=${have}-` } : {}, controller.signal);
    } catch (err) {
      if (err instanceof FetchFailure) throw err;
      throw new FetchFailure(networkReason(err, controller.signal.aborted, idle));
    }
    if (res.status === 416 && have > 0) return 0; // what we have is the whole file; the check decides
    if (res.status !== 200 && res.status !== 206) {
      await res.body?.cancel();
      throw new FetchFailure(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    }
    if (res.status === 200) have = 0;
    const length = Number(res.headers.get('content-length') ?? NaN);
    const expected = Number.isFinite(length) ? have + length : null;
    if (expected !== null && expected > limit) {
      await res.body?.cancel();
      throw new DatasetError(`${url}: the server offers ${formatBytes(expected)}, more than ${file.name} can be (${formatBytes(limit)}); refused`);
    }
    writeFileSync(`${part}.url`, url);
    fd = openSync(part, have > 0 ? 'a' : 'w');
    progress(expected, have);
    if (!res.body) throw new FetchFailure('empty answer');
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        if (have + chunk.length > limit) {
          throw new DatasetError(`${url}: sends more than ${file.name} can be (${formatBytes(limit)}); refused and removed`);
        }
        writeSync(fd, chunk);
        have += chunk.length;
        received += chunk.length;
        progress(expected, have);
      }
    } catch (err) {
      if (err instanceof DatasetError) { closeSync(fd); fd = undefined; rmSync(part, { force: true }); throw err; }
      throw new FetchFailure(networkReason(err, controller.signal.aborted, idle));
    }
    if (expected !== null && have < expected) throw new FetchFailure(`the connection closed after ${formatBytes(have)} of ${formatBytes(expected)}`);
    fsyncSync(fd);
    return received;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
    if (fd !== undefined) closeSync(fd);
  }
}

const NO_ANSWER = 'no usable answer (offline, or nothing serves the dataset there)';

/**
 * Fetches `url`, following redirects only within its own origin (at most 5): a mirror cannot send
 * the download to another host or port.
 */
async function fetchSameHost(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
  let at = new URL(url);
  for (let hops = 0; ; hops++) {
    const res = await fetch(at, { headers, signal, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || location === null) return res;
    await res.body?.cancel();
    let next: URL;
    try {
      next = new URL(location, at);
    } catch {
      throw new FetchFailure('a redirect to an address that is not one');
    }
    if (next.origin !== at.origin) throw new FetchFailure(`a redirect to another host (${next.origin}), which is not followed`);
    if (hops >= 5) throw new FetchFailure('too many redirects');
    at = next;
  }
}

/**
 * Words for a failed connection: one for every way it can fail (refused, cut, reset, silent), so
 * the message never tells an open port from a closed one on a host the user named.
 */
function networkReason(err: unknown, _timedOut: boolean, _idle: number): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  const code = cause?.code ?? (err as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'name not found (offline?)';
  return NO_ANSWER;
}

/** Null when the .gz at `path` holds exactly the published data; otherwise what is wrong. */
async function holds(path: string, file: IdxCatalogFile): Promise<string | null> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const input = createReadStream(path);
      const gunzip = createGunzip();
      const fail = (err: Error) => { input.destroy(); gunzip.destroy(); reject(err); };
      input.on('error', fail);
      gunzip.on('error', fail);
      gunzip.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > file.bytes) fail(new Error('too long'));
        else hash.update(chunk);
      });
      gunzip.on('end', resolve);
      input.pipe(gunzip);
    });
  } catch (err) {
    return (err as Error).message === 'too long' ? `it holds more than the ${file.bytes} bytes published` : 'it is not a complete gzip file';
  }
  if (bytes !== file.bytes) return `it holds ${bytes} bytes, not the ${file.bytes} published`;
  const sha = hash.digest('hex');
  return sha === file.sha256 ? null : `its data has sha256 ${sha.slice(0, 12)}…, not the published ${file.sha256.slice(0, 12)}…`;
}
