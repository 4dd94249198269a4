import { afterEach, describe, expect, it, vi } from 'vitest';
import { arrangePick, Transfers, UploadCancelled, withoutJunk, type XhrLike } from '../../../src-renderer/src/lib/transfers.js';

/** An XMLHttpRequest stand-in: records each request and answers as the server would, by hand. */
class FakeXhr implements XhrLike {
  static made: FakeXhr[] = [];
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: Blob | null = null;
  status = 0;
  responseText = '';
  upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  aborted = false;
  constructor() { FakeXhr.made.push(this); }
  open(method: string, url: string): void { this.method = method; this.url = url; }
  setRequestHeader(name: string, value: string): void { this.headers[name] = value; }
  send(body: Blob | null): void { this.body = body; }
  abort(): void { this.aborted = true; this.onabort?.(); }
  answer(status: number, body: object): void { this.status = status; this.responseText = JSON.stringify(body); this.onload?.(); }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const item = (name: string, bytes: number) => ({ name, file: new Blob([new Uint8Array(bytes)]) });

afterEach(() => { FakeXhr.made = []; vi.unstubAllGlobals(); });

describe('Transfers.upload', () => {
  it('sends a folder file by file into one handle, with the token, counting bytes over all files', async () => {
    const t = new Transfers('tok', () => new FakeXhr());
    const seen: [number, number][] = [];
    const done = t.upload([item('shapes/a/0.png', 10), item('shapes/b/0.png', 30)], (d, total) => seen.push([d, total]), new AbortController().signal);
    await tick();
    const [first] = FakeXhr.made;
    expect([first.method, first.url, first.headers.Authorization]).toEqual(['POST', '/upload?name=shapes%2Fa%2F0.png', 'Bearer tok']);
    first.upload.onprogress?.({ loaded: 5 });
    first.answer(200, { handle: 'H'.repeat(20), name: 'shapes', bytes: 10 });
    await tick();
    const second = FakeXhr.made[1];
    expect(second.url).toBe(`/upload?name=shapes%2Fb%2F0.png&into=${'H'.repeat(20)}`);
    second.upload.onprogress?.({ loaded: 30 });
    second.answer(200, { handle: 'H'.repeat(20), name: 'shapes', bytes: 40 });
    await expect(done).resolves.toEqual({ handle: 'H'.repeat(20), name: 'shapes', bytes: 40 });
    expect(seen).toEqual([[5, 40], [10, 40], [40, 40], [40, 40]]);
  });

  it('says the server’s one-line reason when it refuses', async () => {
    const t = new Transfers('tok', () => new FakeXhr());
    const done = t.upload([item('big.csv', 10)], () => undefined, new AbortController().signal);
    await tick();
    FakeXhr.made[0].answer(413, { error: 'the upload is larger than the 1 MB limit' });
    await expect(done).rejects.toThrow('the upload is larger than the 1 MB limit');
  });

  it('on cancel stops the request and deletes what had arrived', async () => {
    const fetched: [string, string][] = [];
    vi.stubGlobal('fetch', async (url: string, init: { method: string }) => { fetched.push([init.method, url]); return new Response('{}'); });
    const t = new Transfers('tok', () => new FakeXhr());
    const cancel = new AbortController();
    const done = t.upload([item('d/a.png', 1), item('d/b.png', 1)], () => undefined, cancel.signal);
    await tick();
    FakeXhr.made[0].answer(200, { handle: 'K'.repeat(20), name: 'd', bytes: 1 });
    await tick();
    cancel.abort();
    await expect(done).rejects.toBeInstanceOf(UploadCancelled);
    expect(FakeXhr.made[1].aborted).toBe(true);
    await tick();
    expect(fetched).toEqual([['DELETE', `/upload/${'K'.repeat(20)}`]]);
  });
});

describe('arrangePick', () => {
  it('takes two .npy files as features and labels, by name or else by size', () => {
    const byName = arrangePick([item('y_train.npy', 10), item('x_train.npy', 5)]);
    expect([byName.items[0].name, byName.labels?.name]).toEqual(['x_train.npy', 'y_train.npy']);
    const bySize = arrangePick([item('a.npy', 100), item('b.npy', 8)]);
    expect([bySize.items[0].name, bySize.labels?.name]).toEqual(['a.npy', 'b.npy']);
  });

  it('keeps a folder as it is and gathers loose files into one folder', () => {
    expect(arrangePick([item('gray/a/0.png', 1), item('gray/b/0.png', 1)]).items.map((i) => i.name)).toEqual(['gray/a/0.png', 'gray/b/0.png']);
    expect(arrangePick([item('train-images-idx3-ubyte.gz', 1), item('train-labels-idx1-ubyte.gz', 1)]).items.map((i) => i.name))
      .toEqual(['dataset/train-images-idx3-ubyte.gz', 'dataset/train-labels-idx1-ubyte.gz']);
  });

  it('leaves out the hidden files a folder brings along', () => {
    expect(withoutJunk([item('gray/.DS_Store', 1), item('gray/a/0.png', 1), item('gray/a/Thumbs.db', 1)]).map((i) => i.name)).toEqual(['gray/a/0.png']);
  });
});
