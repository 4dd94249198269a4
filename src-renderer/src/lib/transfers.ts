/**
 * Files between the user's browser and `layerlab serve` (server/transfers.ts): uploads with
 * progress and cancel, and one-time downloads. The page never names a path on the server's
 * machine: an upload answers a handle, which the import request then names.
 */

/** One file to send, under the relative name it will have ('iris.csv', 'shoes/boot/1.png'). */
export interface UploadItem { file: Blob; name: string }

export interface Uploaded { handle: string; name: string; bytes: number }

/** The part of XMLHttpRequest we use (fetch has no upload progress), so tests can fake it. */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: Blob | null): void;
  abort(): void;
  status: number;
  responseText: string;
  upload: { onprogress: ((e: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export class UploadCancelled extends Error {
  override name = 'UploadCancelled';
}

export class Transfers {
  constructor(private readonly token: string, private readonly makeXhr: () => XhrLike = () => new XMLHttpRequest() as unknown as XhrLike) {}

  /**
   * Sends `items` one after another: one file makes one handle; several (names sharing their
   * first folder) make one folder handle. `onProgress` counts bytes over all of them. Aborting
   * `signal` stops the transfer and deletes what had arrived.
   */
  async upload(items: UploadItem[], onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<Uploaded> {
    if (items.length === 0) throw new Error('nothing to upload');
    const total = items.reduce((a, i) => a + i.file.size, 0);
    let sent = 0;
    let last: Uploaded | null = null;
    try {
      for (const item of items) {
        const url = `/upload?name=${encodeURIComponent(item.name)}${last ? `&into=${encodeURIComponent(last.handle)}` : ''}`;
        last = await this.send(url, item.file, (n) => onProgress(sent + n, total), signal);
        sent += item.file.size;
        onProgress(sent, total);
      }
    } catch (err) {
      if (last) void this.discard(last.handle);
      throw err;
    }
    return last!;
  }

  /** Deletes an upload nobody will import. */
  async discard(handle: string): Promise<void> {
    try {
      await fetch(`/upload/${encodeURIComponent(handle)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${this.token}` } });
    } catch { /* expires on its own */ }
  }

  /** Fetches a one-time download (runs:export's `download`) and hands it to the browser as `filename`. */
  async download(address: string, filename: string): Promise<void> {
    const res = await fetch(address, { headers: { Authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(await errorOf(res.status, await res.text()));
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private send(url: string, body: Blob, progress: (loaded: number) => void, signal: AbortSignal): Promise<Uploaded> {
    return new Promise<Uploaded>((resolve, reject) => {
      if (signal.aborted) { reject(new UploadCancelled('cancelled')); return; }
      const xhr = this.makeXhr();
      const onAbort = () => xhr.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (f: () => void) => { signal.removeEventListener('abort', onAbort); f(); };
      xhr.open('POST', url);
      xhr.setRequestHeader('Authorization', `Bearer ${this.token}`);
      xhr.upload.onprogress = (e) => progress(e.loaded);
      xhr.onload = () => settle(() => {
        if (xhr.status === 200) {
          try { resolve(JSON.parse(xhr.responseText) as Uploaded); } catch { reject(new Error('the server gave an unreadable answer to the upload')); }
        } else void errorOf(xhr.status, xhr.responseText).then((m) => reject(new Error(m)));
      });
      xhr.onerror = () => settle(() => reject(new Error('the upload failed: the connection to Layerlab was lost')));
      xhr.onabort = () => settle(() => reject(new UploadCancelled('cancelled')));
      xhr.send(body);
    });
  }
}

async function errorOf(status: number, text: string): Promise<string> {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch { /* not ours */ }
  return `the server answered ${status}`;
}

/** What a user picked or dropped: files with their relative names. */
export interface Picked { items: UploadItem[]; labels?: UploadItem }

const LABELS_NAME = /(^|[_\-.\s])(y|labels?|targets?|classes)([_\-.\s]|$)/i;

/**
 * Turns a pick or a drop into what to upload: one file as it is; a folder's files under their
 * relative names; two .npy files as features and labels (the one named like 'labels' or 'y', else
 * the smaller); other loose files gathered into one folder (IDX files, say).
 */
export function arrangePick(files: UploadItem[]): Picked {
  if (files.length === 1) return { items: files };
  const npy = files.filter((f) => f.name.toLowerCase().endsWith('.npy'));
  if (files.length === 2 && npy.length === 2 && !files.some((f) => f.name.includes('/'))) {
    const [a, b] = files;
    const aLabels = LABELS_NAME.test(stem(a.name));
    const bLabels = LABELS_NAME.test(stem(b.name));
    const labelsIsA = aLabels !== bLabels ? aLabels : a.file.size < b.file.size;
    return labelsIsA ? { items: [b], labels: a } : { items: [a], labels: b };
  }
  const tops = new Set(files.map((f) => (f.name.includes('/') ? f.name.slice(0, f.name.indexOf('/')) : '')));
  if (tops.size === 1 && !tops.has('')) return { items: files };
  return { items: files.map((f) => ({ file: f.file, name: `dataset/${f.name}` })) };
}

function stem(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base.replace(/\.npy$/i, '');
}

/** The files under a drop, folders walked (webkitGetAsEntry), each with its relative name. */
export async function droppedFiles(dt: DataTransfer): Promise<UploadItem[]> {
  const entries = Array.from(dt.items ?? []).map((i) => (i.kind === 'file' ? i.webkitGetAsEntry?.() ?? null : null));
  if (entries.length === 0 || entries.some((e) => e === null)) {
    return Array.from(dt.files).map((file) => ({ file, name: file.name }));
  }
  const out: UploadItem[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      out.push({ file, name: `${prefix}${entry.name}` });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e!, '');
  return out;
}

/** An <input type=file> selection: a folder pick keeps each file's path inside the folder. */
export function inputFiles(list: FileList): UploadItem[] {
  return Array.from(list).map((file) => ({ file, name: file.webkitRelativePath || file.name }));
}

/** Hidden files a folder brings along (.DS_Store, Thumbs.db, ._x) are left out of an upload. */
export function withoutJunk(items: UploadItem[]): UploadItem[] {
  return items.filter((i) => !i.name.split('/').some((p) => p.startsWith('.') || p === 'Thumbs.db' || p === 'desktop.ini'));
}
