/**
 * Browser mode's files in and out, for real: uploads streamed to the data folder and imported by
 * handle through the importer process, a folder uploaded file by file, the token and the size cap
 * enforced, a run export fetched once as a download.
 */
import { describe, it, expect, vi, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Service } from '../../../src-main/service/service.js';
import { serve, type RunningServer } from '../../../src-main/server/server.js';
import { NodeWorkerHost } from '../../../src-main/workers/node-host.js';
import { OUT_NODE, ROOT, requireBuild } from '../../helpers/build.js';
import { tempHome } from '../../helpers/home.js';
import { WsClient } from '../../helpers/ws-client.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

describe('uploads and downloads in browser mode', () => {
  const { home, cleanup } = tempHome();
  let service: Service;
  let server: RunningServer;
  let ws: WsClient;
  let base: string;

  beforeAll(async () => {
    requireBuild();
    service = new Service({ home, host: new NodeWorkerHost(OUT_NODE), concurrency: 1 });
    await service.start();
    server = await serve({ service, staticDir: join(OUT_NODE, '..', 'renderer'), maxUploadBytes: 64 * 1024 });
    base = `http://127.0.0.1:${server.port}`;
    ws = await WsClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
    await service?.close();
    cleanup();
  });

  const upload = (name: string, body: Buffer | Uint8Array | string, o: { into?: string; token?: string } = {}) =>
    fetch(`${base}/upload?name=${encodeURIComponent(name)}${o.into ? `&into=${o.into}` : ''}`, {
      method: 'POST', body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]), headers: { Authorization: `Bearer ${o.token ?? server.token}` },
    });
  const uploads = () => (existsSync(join(home, 'uploads')) ? readdirSync(join(home, 'uploads')) : []);

  it('imports an uploaded CSV by its handle; the upload is gone afterwards', async () => {
    const res = await upload('iris.csv', readFileSync(join(FIXTURES, 'csv', 'iris.csv')));
    expect(res.status).toBe(200);
    const up = await res.json() as { handle: string; name: string; bytes: number };
    expect(up.name).toBe('iris.csv');
    expect(up.bytes).toBe(readFileSync(join(FIXTURES, 'csv', 'iris.csv')).byteLength);
    expect(uploads()).toHaveLength(1);
    const info = await ws.invoke('datasets:import', { source: { handle: up.handle } });
    expect(info.name).toBe('iris');
    expect(info.trainCount + info.testCount).toBe(30);
    expect(uploads()).toHaveLength(0);
    await expect(ws.invoke('datasets:import', { source: { handle: up.handle } })).rejects.toThrow(/source: this file handle is unknown or has expired/);
    // The same bytes again, under another name: recognised, and the first dataset answered.
    const again = await (await upload('flowers.csv', readFileSync(join(FIXTURES, 'csv', 'iris.csv')))).json() as { handle: string };
    const reused = await ws.invoke('datasets:import', { source: { handle: again.handle }, options: { name: 'flowers' } });
    expect([reused.id, reused.name, reused.reused]).toEqual([info.id, 'iris', true]);
    expect((await ws.invoke('datasets:list', {})).filter((d) => d.kind === 'imported')).toHaveLength(1);
    expect(uploads()).toHaveLength(0);
  });

  it('builds a folder from files uploaded one by one, and imports it as an image folder', async () => {
    const dir = join(FIXTURES, 'images', 'gray');
    let handle = '';
    for (const cls of ['circle', 'square']) {
      for (const f of readdirSync(join(dir, cls))) {
        const res = await upload(`shapes/${cls}/${f}`, readFileSync(join(dir, cls, f)), handle ? { into: handle } : {});
        expect(res.status).toBe(200);
        const up = await res.json() as { handle: string; name: string; files: number };
        expect(up.name).toBe('shapes');
        handle = up.handle;
      }
    }
    const wrongTop = await upload('other/circle/0.png', 'x', { into: handle });
    expect(wrongTop.status).toBe(400);
    const info = await ws.invoke('datasets:import', { source: { handle } });
    expect(info.format).toBe('images');
    expect(info.classNames).toEqual(['circle', 'square']);
    expect(uploads()).toHaveLength(0);
  });

  it('refuses a wrong token, a path-like name and an upload over the cap, keeping nothing', async () => {
    expect((await upload('a.csv', 'x', { token: 'nope' })).status).toBe(401);
    expect((await fetch(`${base}/upload?name=a.csv`, { method: 'POST', body: 'x' })).status).toBe(401);
    for (const name of ['../a.csv', '/etc/passwd', 'a/../../b', 'a\\b.csv', 'c:x', '']) {
      const res = await upload(name, 'x');
      expect(res.status, name).toBe(400);
      expect((await res.json() as { error: string }).error).toMatch(/^name: /);
    }
    const big = await upload('big.csv', new Uint8Array(65 * 1024));
    expect(big.status).toBe(413);
    expect((await big.json() as { error: string }).error).toMatch(/larger than the 64 KB limit \(layerlab serve --max-upload-mb N raises it\)/);
    expect(uploads()).toHaveLength(0);
  });

  it('deletes a cancelled upload at once', async () => {
    const up = await (await upload('x.csv', 'a,b\n1,0\n')).json() as { handle: string };
    expect(uploads()).toHaveLength(1);
    expect((await fetch(`${base}/upload/${up.handle}`, { method: 'DELETE', headers: { Authorization: `Bearer ${server.token}` } })).status).toBe(200);
    expect(uploads()).toHaveLength(0);
  });

  it('gives a page its run export as a one-time download, never a path', async () => {
    const d = await ws.invoke('datasets:generate', { kind: 'xor', samples: 100, seed: 2 });
    const spec = { inputShape: [2], layers: [{ type: 'dense', units: 2, activation: 'softmax' }], optimizer: { type: 'adam' }, training: { epochs: 1, batchSize: 32, seed: 1 } };
    const { runIds: [id] } = await ws.invoke('runs:start', { spec, datasetId: d.id, name: 'tiny' });
    await ws.waitFor('runs:finished', (e) => e.runId === id);
    const exp = await ws.invoke('runs:export', { id });
    expect(exp.path).toBe(`${id}.layerlab-run.json`);
    expect(exp.download).toMatch(/^\/download\/[\w-]{16,}$/);
    expect((await fetch(`${base}${exp.download}`)).status).toBe(401);
    const res = await fetch(`${base}${exp.download}`, { headers: { Authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`${id}.layerlab-run.json`);
    const body = await res.json() as { format: string; run: { id: string } };
    expect(body.format).toBe('layerlab-run');
    expect(body.run.id).toBe(id);
    expect((await fetch(`${base}${exp.download}`, { headers: { Authorization: `Bearer ${server.token}` } })).status).toBe(404);
    // The file goes when the server sees the response closed, which may come after the client has read it.
    await vi.waitFor(() => expect(readdirSync(join(home, 'downloads'))).toHaveLength(0), { timeout: 10_000 });
  });
});
