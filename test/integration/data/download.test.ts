/**
 * Downloading Fashion-MNIST from a mirror on 127.0.0.1 serving the real files (Debian's copies:
 * recompressed, the same data, so the published sha256 of the data holds). Networks misbehave
 * here on purpose: cut connections, servers that ignore Range, wrong or endless files, no server.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IDX_CATALOG, catalogFiles, findIdxFiles, loadIdxFolder } from '../../../src-main/data/catalog/idx-datasets.js';
import { downloadIdxDataset, type DownloadProgress } from '../../../src-main/data/catalog/download.js';
import { closedPort, serveMirror, type Mirror } from '../../helpers/mirror.js';
import { tempHome } from '../../helpers/home.js';

const DEBIAN = '/usr/share/datasets/fashion-mnist';
const fashion = IDX_CATALOG.find((e) => e.id === 'fashion-mnist')!;
const files: Record<string, Buffer> = {};
const cleanups: Array<() => unknown> = [];

beforeAll(() => {
  for (const f of catalogFiles(fashion)) files[`${f.name}.gz`] = readFileSync(join(DEBIAN, `${f.name}.gz`));
  total = Object.values(files).reduce((a, b) => a + b.length, 0);
});
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

async function setup(served = files, behaviour = {}): Promise<{ home: string; mirror: Mirror }> {
  const { home, cleanup } = tempHome();
  const mirror = await serveMirror(served, behaviour);
  cleanups.push(cleanup, () => mirror.close());
  return { home, mirror };
}

const TRAIN_IMAGES = 'train-images-idx3-ubyte.gz';
let total = 0;

describe('downloading a catalog dataset', () => {
  it('fetches the four files with progress, checks each, and the dataset then loads; a second call fetches nothing', async () => {
    const { home, mirror } = await setup();
    const seen: DownloadProgress[] = [];
    const r = await downloadIdxDataset(fashion, home, { mirror: mirror.url, onProgress: (p) => seen.push(p) });
    expect(r.fetched).toEqual(catalogFiles(fashion).map((f) => f.name));
    expect(r.received).toBe(Object.values(files).reduce((a, b) => a + b.length, 0));
    const downloading = seen.filter((p) => p.phase === 'downloading').map((p) => p.done);
    expect(downloading.every((d, i) => i === 0 || d >= downloading[i - 1])).toBe(true);
    expect(seen.some((p) => p.phase === 'verifying')).toBe(true);
    const last = seen.filter((p) => p.phase === 'downloading').at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBe(total);

    const dir = join(home, 'datasets', 'fashion-mnist');
    expect(readdirSync(dir).sort()).toEqual(Object.keys(files).sort());
    const d = loadIdxFolder(dir, fashion);
    expect(d.train.count).toBe(60000);
    expect(d.test!.count).toBe(10000);

    const before = mirror.requests.length;
    const again = await downloadIdxDataset(fashion, home, { mirror: mirror.url });
    expect(again.fetched).toEqual([]);
    expect(mirror.requests.length).toBe(before);
  });

  it('keeps what arrived when the connection is cut, and resumes from there with a Range request', async () => {
    const { home, mirror } = await setup(files, { cutFirstAfter: { [TRAIN_IMAGES]: 5_000_000 } });
    const first = downloadIdxDataset(fashion, home, { mirror: mirror.url });
    await expect(first).rejects.toThrow(/^could not download Fashion-MNIST \(127\.0\.0\.1:\d+: .*\); the 4\.8 MB that arrived are kept and the next download resumes\. Without a network: install it with 'sudo apt-get install dataset-fashion-mnist', or copy the four \.gz files into /);
    const part = join(home, 'datasets', 'fashion-mnist', '.download', `${TRAIN_IMAGES}.part`);
    expect(statSync(part).size).toBe(5_000_000);

    const r = await downloadIdxDataset(fashion, home, { mirror: mirror.url });
    expect(mirror.requests.filter((q) => q.path === TRAIN_IMAGES)).toEqual([
      { path: TRAIN_IMAGES, range: null, status: 200 },
      { path: TRAIN_IMAGES, range: 'bytes=5000000-', status: 206 },
    ]);
    expect(r.received).toBe(total - 5_000_000);
    expect(findIdxFiles(join(home, 'datasets', 'fashion-mnist'))).not.toBeNull();
    expect(existsSync(part)).toBe(false);
  });

  it('starts a file over when the server answers a Range request with the whole file', async () => {
    const { home, mirror } = await setup(files, { cutFirstAfter: { [TRAIN_IMAGES]: 3_000_000 }, ignoreRange: true });
    await expect(downloadIdxDataset(fashion, home, { mirror: mirror.url })).rejects.toThrow(/could not download/);
    const r = await downloadIdxDataset(fashion, home, { mirror: mirror.url });
    expect(mirror.requests.filter((q) => q.path === TRAIN_IMAGES).map((q) => q.status)).toEqual([200, 200]);
    expect(r.received).toBe(total);
    expect(loadIdxFolder(join(home, 'datasets', 'fashion-mnist'), fashion).train.count).toBe(60000);
  });

  it('refuses a file whose data is not the published data, removes it, and the dataset stays absent', async () => {
    const { home, mirror } = await setup({ ...files, 'train-labels-idx1-ubyte.gz': files['t10k-labels-idx1-ubyte.gz'] });
    const err = await downloadIdxDataset(fashion, home, { mirror: mirror.url }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/train-labels-idx1-ubyte\.gz: it holds 10008 bytes, not the 60008 published, so it is not Fashion-MNIST's train-labels-idx1-ubyte; that file was removed: try again later or another mirror$/);
    const dir = join(home, 'datasets', 'fashion-mnist');
    expect(existsSync(join(dir, '.download', 'train-labels-idx1-ubyte.gz.part'))).toBe(false);
    expect(existsSync(join(dir, 'train-labels-idx1-ubyte.gz'))).toBe(false);
    expect(findIdxFiles(dir)).toBeNull();
  });

  it('refuses data of the right size but other bytes, and a file that is not gzip', async () => {
    const flipped = Buffer.from(files['t10k-labels-idx1-ubyte.gz']);
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const raw = gunzipSync(flipped);
    raw[100] ^= 1;
    const { home, mirror } = await setup({ ...files, 't10k-labels-idx1-ubyte.gz': gzipSync(raw) });
    await expect(downloadIdxDataset(fashion, home, { mirror: mirror.url })).rejects.toThrow(/t10k-labels-idx1-ubyte\.gz: its data has sha256 [0-9a-f]{12}…, not the published 0402a96d92fd…/);

    const second = await setup({ ...files, 't10k-labels-idx1-ubyte.gz': Buffer.from('<html>Sign in to the Wi-Fi</html>') });
    await expect(downloadIdxDataset(fashion, second.home, { mirror: second.mirror.url })).rejects.toThrow(/t10k-labels-idx1-ubyte\.gz: it is not a complete gzip file/);
  });

  it('stops reading a file that grows past what it can be', async () => {
    const { home, mirror } = await setup(files, { endless: ['train-labels-idx1-ubyte.gz'] });
    await expect(downloadIdxDataset(fashion, home, { mirror: mirror.url })).rejects.toThrow(/train-labels-idx1-ubyte\.gz: sends more than train-labels-idx1-ubyte can be \(1\.1 MB\); refused and removed$/);
    expect(existsSync(join(home, 'datasets', 'fashion-mnist', '.download', 'train-labels-idx1-ubyte.gz.part'))).toBe(false);
  });

  it('says in one line that it cannot reach the server, and how to get the data without one', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const port = await closedPort();
    const err = await downloadIdxDataset(fashion, home, { mirror: `http://127.0.0.1:${port}/` }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^could not download Fashion-MNIST \(127\.0\.0\.1:\d+: no usable answer \(offline, or nothing serves the dataset there\)\)\. Without a network: install it with 'sudo apt-get install dataset-fashion-mnist', or copy the four \.gz files into .*fashion-mnist$/);
    expect((err as Error).message).not.toContain('\n');
  });

  it('follows no redirect to another host, and says the same for an open port as for a closed one (issue 11, item 11)', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    // A mirror that sends every request to another port of the machine.
    const target = await closedPort();
    const redirector = createServer((_req, res) => { res.writeHead(302, { location: `http://127.0.0.1:${target}/secret` }); res.end(); });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => redirector.close(() => r(undefined))));
    const port = (redirector.address() as AddressInfo).port;
    const err = await downloadIdxDataset(fashion, home, { mirror: `http://127.0.0.1:${port}/` }).catch((e: Error) => e);
    expect((err as Error).message).toContain(`127.0.0.1:${port}: a redirect to another host (http://127.0.0.1:${target}), which is not followed`);
    // An open port that does not speak HTTP and a closed one read the same.
    const silent = createNetServer((socket) => socket.destroy());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => silent.close(() => r(undefined))));
    const open = (silent.address() as AddressInfo).port;
    const closed = await closedPort();
    const say = async (p: number) => ((await downloadIdxDataset(fashion, home, { mirror: `http://127.0.0.1:${p}/` }).catch((e: Error) => e)) as Error).message.replace(String(p), 'PORT');
    expect(await say(open)).toBe(await say(closed));
  });

  it('tries the next address when one fails, and fetches a damaged file in the data folder again', async () => {
    const { home, mirror } = await setup();
    const entry = { ...fashion, mirrors: [`http://127.0.0.1:${await closedPort()}/`, `${mirror.url}missing/`, mirror.url] };
    const r = await downloadIdxDataset(entry, home, {});
    expect(r.fetched).toHaveLength(4);
    expect(mirror.requests.filter((q) => q.status === 404)).toHaveLength(4);

    const labels = join(home, 'datasets', 'fashion-mnist', 'train-labels-idx1-ubyte.gz');
    writeFileSync(labels, 'damaged');
    const again = await downloadIdxDataset(entry, home, {});
    expect(again.fetched).toEqual(['train-labels-idx1-ubyte']);
    expect(loadIdxFolder(join(home, 'datasets', 'fashion-mnist'), fashion).train.count).toBe(60000);
  });

  it('stops when asked, keeping what arrived for the next time', async () => {
    const { home, mirror } = await setup(files, {});
    const controller = new AbortController();
    const run = downloadIdxDataset(fashion, home, {
      mirror: mirror.url, signal: controller.signal,
      onProgress: (p) => { if (p.done > 1_000_000) controller.abort(); },
    });
    await expect(run).rejects.toThrow(/^download of Fashion-MNIST stopped; what arrived is kept in .* and the next download resumes from there$/);
    const r = await downloadIdxDataset(fashion, home, { mirror: mirror.url });
    expect(r.fetched).toHaveLength(4);
    expect(mirror.requests.some((q) => q.range !== null && q.status === 206)).toBe(true);
  });
});

describe('a mirror address', () => {
  it('must be http or https, wherever it came from', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    for (const mirror of ['file:///etc/', 'not a url', 'ftp://example.org/']) {
      await expect(downloadIdxDataset(fashion, home, { mirror })).rejects.toThrow(/^dataset mirror '.*': not an http:\/\/ or https:\/\/ address$/);
    }
  });
});
