/**
 * Files in and out of browser mode, over plain HTTP beside the WebSocket:
 *  - POST /upload?name=NAME[&into=HANDLE]: the body is streamed to a fresh folder under
 *    <home>/uploads/, bounded by a size cap; the answer is `{ handle, name, bytes }`. The handle
 *    then names the file in a request (`datasets:import { source: { handle } }`). A NAME with
 *    slashes ('shoes/boot/1.png') builds a folder: the handle names its top folder ('shoes'), and
 *    further files go into it with `into=HANDLE`. The cap counts the whole folder.
 *  - DELETE /upload/HANDLE: a cancelled upload is deleted at once (else when its handle expires).
 *  - GET /download/HANDLE: a file the service wrote for this page (a run export), sent once and
 *    then deleted.
 * Every request carries the session token as `Authorization: Bearer TOKEN`; the page never names
 * a path on this machine and never learns one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FileRefs } from '../service/file-refs.js';

/** Default cap on one upload (a file, or a folder's files together): 2 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Most files one folder upload may hold. */
export const MAX_UPLOAD_FILES = 200_000;

export interface TransferOptions {
  files: FileRefs;
  home: string;
  tokenMatches(given: string | null): boolean;
  maxUploadBytes: number;
}

export function uploadsDir(home: string): string {
  return join(home, 'uploads');
}

/** Upload folders are tied to handles that die with the process: leftovers older than a day go. */
export function sweepUploads(home: string, olderThanMs = 24 * 3600 * 1000): void {
  const dir = uploadsDir(home);
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  const cutoff = Date.now() - olderThanMs;
  for (const n of names) {
    try {
      if (statSync(join(dir, n)).mtimeMs < cutoff) rmSync(join(dir, n), { recursive: true, force: true });
    } catch { /* gone already */ }
  }
}

/**
 * A relative upload name as safe path segments, or a reason. Plain names only: no '.', '..',
 * empty segments, backslashes, drive letters or control characters; at most 16 deep.
 */
export function uploadSegments(name: string | null): string[] | string {
  if (!name) return 'name: give the file name (?name=...)';
  if (name.length > 1024) return 'name: longer than 1024 characters';
  const parts = name.split('/');
  if (parts.length > 16) return 'name: more than 16 folders deep';
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..') return `name: '${name}' is not a plain relative name`;
    if (p.length > 255) return `name: a part of '${name.slice(0, 80)}' is longer than 255 characters`;
    if (/[\u0000-\u001f\u007f\\:*?"<>|]/.test(p)) return `name: '${name.slice(0, 80)}' holds a character a file name cannot`;
  }
  return parts;
}

/** An open folder upload: its handle's top folder and what it holds so far. */
interface FolderUpload { top: string; dir: string; bytes: number; files: number }

export class Transfers {
  private readonly folders = new Map<string, FolderUpload>();

  constructor(private readonly o: TransferOptions) {
    sweepUploads(o.home);
  }

  /** Handles /upload and /download; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const p = url.pathname;
    if (p !== '/upload' && !p.startsWith('/upload/') && !p.startsWith('/download/')) return false;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!this.o.tokenMatches(bearer ? bearer[1] : null)) {
      reply(res, 401, { error: 'the session token is missing or wrong: open the address layerlab serve printed' });
      req.resume();
      return true;
    }
    if (p === '/upload' && req.method === 'POST') void this.upload(req, res, url);
    else if (p.startsWith('/upload/') && req.method === 'DELETE') this.discard(res, p.slice('/upload/'.length));
    else if (p.startsWith('/download/') && (req.method === 'GET' || req.method === 'HEAD')) this.download(req, res, p.slice('/download/'.length));
    else {
      reply(res, 405, { error: `${req.method} ${p} is not supported` });
      req.resume();
    }
    return true;
  }

  private async upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const refuse = (status: number, error: string) => { req.resume(); reply(res, status, { error }); };
    const segments = uploadSegments(url.searchParams.get('name'));
    if (typeof segments === 'string') return refuse(400, segments);
    const into = url.searchParams.get('into');
    const declared = Number(req.headers['content-length'] ?? NaN);
    const cap = this.o.maxUploadBytes;
    const mb = (n: number) => (n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${Math.round(n / 1024)} KB`);

    let folder: FolderUpload | undefined;
    let handle: string;
    let target: string;
    let madeRoot: string | null = null;
    if (into) {
      folder = this.folders.get(into);
      if (!folder || !this.o.files.isTemporary(into)) {
        this.folders.delete(into);
        return refuse(404, 'into: this upload is unknown or has expired; upload the folder again');
      }
      if (segments.length < 2 || segments[0] !== folder.top) return refuse(400, `name: files added to '${folder.top}' must be named '${folder.top}/…'`);
      if (folder.files >= MAX_UPLOAD_FILES) return refuse(413, `the folder holds more than ${MAX_UPLOAD_FILES} files`);
      if (declared > cap - folder.bytes) return refuse(413, `the upload is larger than the ${mb(cap)} limit (layerlab serve --max-upload-mb N raises it)`);
      handle = into;
      target = join(folder.dir, ...segments.slice(1));
    } else {
      if (declared > cap) return refuse(413, `the upload is larger than the ${mb(cap)} limit (layerlab serve --max-upload-mb N raises it)`);
      mkdirSync(uploadsDir(this.o.home), { recursive: true });
      madeRoot = mkdtempSync(join(uploadsDir(this.o.home), 'up-'));
      const top = join(madeRoot, segments[0]);
      target = join(madeRoot, ...segments);
      if (segments.length > 1) {
        folder = { top: segments[0], dir: top, bytes: 0, files: 0 };
        handle = this.o.files.grant(top, { purpose: 'read', temporary: true, label: segments[0], removes: madeRoot });
        this.folders.set(handle, folder);
      } else {
        handle = this.o.files.grant(target, { purpose: 'read', temporary: true, label: segments[0], removes: madeRoot });
      }
    }
    const undo = () => {
      if (madeRoot) { this.o.files.release(handle); this.folders.delete(handle); } else rmSync(target, { force: true });
    };
    try {
      mkdirSync(join(target, '..'), { recursive: true });
    } catch (err) {
      undo();
      return refuse(500, `cannot store the upload: ${(err as Error).message}`);
    }
    const room = cap - (folder?.bytes ?? 0);
    let bytes = 0;
    let failed: { status: number; error: string } | null = null;
    const out = createWriteStream(target, { flags: 'wx' });
    await new Promise<void>((done) => {
      const fail = (status: number, error: string) => {
        if (failed) return;
        failed = { status, error };
        req.unpipe(out);
        out.destroy();
        done();
      };
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > room) fail(413, `the upload is larger than the ${mb(cap)} limit (layerlab serve --max-upload-mb N raises it)`);
      });
      req.on('aborted', () => fail(499, 'the upload was cancelled'));
      req.on('error', () => fail(499, 'the upload was cancelled'));
      out.on('error', (err) => fail(500, `cannot store the upload: ${err.message}`));
      out.on('finish', () => done());
      req.pipe(out);
    });
    if (failed) {
      undo();
      req.resume();
      const f = failed as { status: number; error: string };
      if (!res.headersSent && !res.destroyed) reply(res, f.status, { error: f.error });
      return;
    }
    if (folder) { folder.bytes += bytes; folder.files += 1; }
    reply(res, 200, { handle, name: segments[0], bytes: folder ? folder.bytes : bytes, ...(folder ? { files: folder.files } : {}) });
  }

  private discard(res: ServerResponse, handle: string): void {
    if (this.o.files.isTemporary(handle) && this.o.files.peek(handle, 'read')) {
      this.o.files.release(handle);
      this.folders.delete(handle);
    }
    reply(res, 200, { discarded: true });
  }

  private download(req: IncomingMessage, res: ServerResponse, handle: string): void {
    if (req.method === 'HEAD') {
      reply(res, this.o.files.peek(handle, 'download') ? 200 : 404, {});
      return;
    }
    // Sent once: the handle is spent now, the file goes when the body has left (or failed to).
    const g = this.o.files.take(handle, 'download');
    if (!g) {
      reply(res, 404, { error: 'this download is unknown or was already fetched; export again' });
      return;
    }
    let size: number;
    try {
      size = statSync(g.path).size;
    } catch {
      g.cleanup();
      reply(res, 404, { error: 'the exported file is gone; export again' });
      return;
    }
    const name = basename(g.label);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
      'Content-Disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    const stream = createReadStream(g.path);
    stream.pipe(res);
    res.on('close', () => { stream.destroy(); g.cleanup(); });
    stream.on('error', () => res.destroy());
  }
}

function reply(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(JSON.stringify(body));
}
