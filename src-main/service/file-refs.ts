/**
 * The path rules, in one place. A request names a file by `{ path }` or `{ handle }`
 * (contract.ts FileRef); who may use which is decided by the caller the face declared:
 *  - 'cli', 'app': any absolute path (the CLI resolves relative ones against the user's cwd).
 *  - 'page': a handle this service issued (an upload, a native dialog's choice), or a path
 *    inside the import root browser mode was started with. Never an arbitrary path.
 * Handles are random, expire, and a temporary one (an upload) is deleted when released.
 */
import { randomBytes } from 'node:crypto';
import { realpathSync, rmSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { Caller, FileRef } from '../shared/contract.js';
import { UserError } from '../shared/errors.js';
import { message } from '../shared/messages.js';

/** 'download': a file the service wrote for a page to fetch once (GET /download/<handle>). */
export type Purpose = 'read' | 'write' | 'download';

interface Grant {
  path: string;
  purpose: Purpose;
  /** Deleted (file or folder) when released: uploads and one-time downloads. */
  temporary: boolean;
  /** For display: the name the user knows the file by. */
  label: string;
  expires: number;
  /** What a temporary grant deletes when released; default `path` (an upload's own folder). */
  removes: string;
}

/** A resolved file and what to do once the request is finished with it. */
export interface ResolvedFile { path: string; label: string; done(): void }

/** Handles live an hour: long enough to fill in an import form, short enough not to pile up. */
const TTL_MS = 60 * 60 * 1000;

export class FileRefs {
  private readonly grants = new Map<string, Grant>();

  /** Issues a handle for a path a face obtained safely (a dialog, an upload it wrote). */
  grant(path: string, o: { purpose: Purpose; temporary?: boolean; label?: string; ttlMs?: number; removes?: string }): string {
    this.sweep();
    const handle = randomBytes(18).toString('base64url');
    this.grants.set(handle, {
      path, purpose: o.purpose, temporary: o.temporary ?? false, label: o.label ?? path,
      expires: Date.now() + (o.ttlMs ?? TTL_MS), removes: o.removes ?? path,
    });
    return handle;
  }

  /** True while `handle` is an unexpired temporary grant (an upload still being added to). */
  isTemporary(handle: string): boolean {
    const g = this.grants.get(handle);
    return Boolean(g && g.temporary && g.expires >= Date.now());
  }

  /** The grant behind a handle, or null; it stays issued. */
  peek(handle: string, purpose: Purpose): { path: string; label: string } | null {
    const g = this.grants.get(handle);
    if (!g || g.purpose !== purpose || g.expires < Date.now()) return null;
    return { path: g.path, label: g.label };
  }

  /**
   * Takes a handle out of use for good (a one-time download): the grant is gone at once, and
   * `cleanup` deletes what a temporary one removes, for when the caller has finished with it.
   */
  take(handle: string, purpose: Purpose): { path: string; label: string; cleanup(): void } | null {
    const g = this.peek(handle, purpose) && this.grants.get(handle);
    if (!g) return null;
    this.grants.delete(handle);
    return { path: g.path, label: g.label, cleanup: () => { if (g.temporary) rmSync(g.removes, { recursive: true, force: true }); } };
  }

  /** Forgets a handle; a temporary one's file or folder is deleted. */
  release(handle: string): void {
    const g = this.grants.get(handle);
    if (!g) return;
    this.grants.delete(handle);
    if (g.temporary) rmSync(g.removes, { recursive: true, force: true });
  }

  /** Releases every handle (the service is closing): uploads nobody imported are deleted. */
  releaseAll(): void {
    for (const handle of [...this.grants.keys()]) this.release(handle);
  }

  /**
   * The path a request's FileRef names, checked against the caller's rights.
   * @param field the request field, for the message ('source', 'out').
   * @throws UserError naming the field and what to do instead.
   */
  resolve(ref: FileRef, caller: Caller, purpose: Purpose, field: string): ResolvedFile {
    if ('handle' in ref) {
      const g = this.peek(ref.handle, purpose);
      if (!g) throw new UserError(message('file.handleExpired', { field }));
      // A temporary file (an upload) serves one request; a chosen file may be used again.
      const temporary = this.grants.get(ref.handle)?.temporary ?? false;
      return { path: g.path, label: g.label, done: () => { if (temporary) this.release(ref.handle); } };
    }
    const { path } = ref;
    if (!isAbsolute(path)) throw new UserError(message('file.relative', { field, path }));
    if (caller.face === 'cli' || caller.face === 'app') return { path, label: path, done: () => undefined };
    if (purpose === 'read' && caller.importRoot && insideRoot(path, caller.importRoot)) return { path, label: path, done: () => undefined };
    throw new UserError(purpose !== 'read' ? message('file.download', { field, path })
      : caller.importRoot ? message('file.outsideRoot', { field, path, root: caller.importRoot })
        : message('file.noRoot', { field, path }));
  }

  private sweep(): void {
    const now = Date.now();
    for (const [handle, g] of this.grants) if (g.expires < now) this.release(handle);
  }
}

/**
 * True when `path`, with every link resolved, lies inside `root` (also resolved). A path that
 * does not exist yet is judged by its nearest existing parent, so `root/../x` and a link out of
 * the root are both outside.
 */
export function insideRoot(path: string, root: string): boolean {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return false;
  }
  let probe = path;
  let rest = '';
  for (;;) {
    try {
      const real = realpathSync(probe);
      const full = rest ? `${real}${sep}${rest}` : real;
      const rel = relative(realRoot, full);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    } catch {
      const cut = probe.lastIndexOf(sep);
      if (cut <= 0) return false;
      rest = rest ? `${probe.slice(cut + 1)}${sep}${rest}` : probe.slice(cut + 1);
      probe = probe.slice(0, cut);
    }
  }
}
