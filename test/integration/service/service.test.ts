/**
 * The service through both transports, for real: WebSocket (browser mode) and in-memory, real
 * trainer and importer processes, real SQLite, real files.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { get as httpGet } from 'node:http';
import { Service } from '../../../src-main/service/service.js';
import { messageText } from '../../../src-main/shared/messages.js';
import { localApi } from '../../../src-main/service/local-api.js';
import { serve, type RunningServer } from '../../../src-main/server/server.js';
import { NodeWorkerHost } from '../../../src-main/workers/node-host.js';
import type { WorkerHandle, WorkerHost, WorkerKind } from '../../../src-main/workers/host.js';
import type { Api } from '../../../src-main/shared/contract.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { OUT_NODE, requireBuild } from '../../helpers/build.js';
import { tempHome } from '../../helpers/home.js';
import { WsClient } from '../../helpers/ws-client.js';

/** The real host, remembering the trainers it started so a test can kill one. */
class WatchedHost implements WorkerHost {
  readonly started: WorkerHandle[] = [];
  private readonly inner = new NodeWorkerHost(OUT_NODE);
  start(kind: WorkerKind, o?: { maxOldSpaceMB?: number }): WorkerHandle {
    const h = this.inner.start(kind, o);
    if (kind === 'trainer') this.started.push(h);
    return h;
  }
}

const spiralModel = {
  inputShape: [2],
  layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }],
  optimizer: { type: 'adam', learningRate: 0.01 },
  training: { epochs: 3, batchSize: 16, seed: 1 },
};

describe('service over WebSocket and in memory', () => {
  const { home, cleanup } = tempHome();
  const host = new WatchedHost();
  let service: Service;
  let server: RunningServer;
  let ws: WsClient;
  let local: Api;
  let spiral: string;

  beforeAll(async () => {
    requireBuild();
    service = new Service({ home, host, concurrency: 2 });
    await service.start();
    // The page may name files by path inside the data folder only (serve --import-root).
    server = await serve({ service, staticDir: join(OUT_NODE, '..', 'renderer'), importRoot: home });
    ws = await WsClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    local = localApi(service);
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
    await service?.close();
    cleanup();
  });

  const countRuns = () => new Database(join(home, 'layerlab.db'), { readonly: true }).prepare('select count(*) n from runs').get() as { n: number };

  it('answers system, model and dataset commands on both transports alike', async () => {
    for (const api of [ws, local]) {
      const info = await api.invoke('system:info', {});
      expect(info.home).toBe(home);
      expect(info.settings.concurrency).toBe(2);
      // The ladder's reasons come coded, so a page says them in its language; the English text is the same message.
      const native = info.backendLadder.find((b) => b.name === 'native')!;
      expect(native.coded?.code).toBe('backend.nativeAtRun');
      expect(native.reason).toBe(messageText(native.coded!));
      const presets = await api.invoke('models:presets', {});
      expect(presets.map((p) => p.name)).toContain('book-relu');
      const v = await api.invoke('models:validate', { spec: findPreset('book-relu')!.spec });
      expect(v.summary?.totalParams).toBe(79510);
      const bad = await api.invoke('models:validate', { spec: { inputShape: [4], layers: [{ type: 'dense', units: 0 }] } });
      expect(bad.ok).toBe(false);
      expect(bad.errors[0].path).toBe('layers.0.units');
      const code = await api.invoke('models:keras', { spec: findPreset('book-nesterov')!.spec });
      expect(code.code).toContain('keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True)');
      const list = await api.invoke('datasets:list', {});
      expect(list.find((d) => d.id === 'fashion-mnist')?.available).toBe(true);
    }
  });

  it('generates a dataset, trains on it with live events, and keeps the run', async () => {
    const d = await ws.invoke('datasets:generate', { kind: 'spiral', samples: 400, noise: 0.05, seed: 3 });
    spiral = d.id;
    expect(d.featureShape).toEqual([2]);
    expect(d.kind).toBe('synthetic');
    expect((await local.invoke('datasets:list', {})).find((x) => x.id === spiral)?.kind).toBe('synthetic');
    const preview = await local.invoke('datasets:preview', { id: spiral, perClass: 2 });
    expect(preview.classCounts.reduce((a, b) => a + b, 0)).toBe(400);
    const { runIds } = await ws.invoke('runs:start', { spec: spiralModel, datasetId: spiral, name: 'spiral' });
    const finished = await ws.waitFor('runs:finished', (e) => e.runId === runIds[0]);
    expect(finished.status).toBe('completed');
    const epochs = ws.events.filter((e) => e.event === 'runs:epoch' && (e.payload as { runId: string }).runId === runIds[0]);
    expect(epochs).toHaveLength(3);
    const detail = await local.invoke('runs:show', { id: runIds[0] });
    expect(detail.epochs.map((e) => e.valAccuracy)).toEqual(epochs.map((e) => (e.payload as { valAccuracy: number }).valAccuracy));
    expect(detail.evaluation?.confusion.flat().reduce((a, b) => a + b, 0)).toBe(detail.evaluation?.count);
    // A 2-feature set: the kept model's decision regions, with its answers on the scored points.
    const regions = (await ws.invoke('runs:regions', { id: runIds[0] }))!;
    expect(regions.size).toBe(64);
    expect(regions.cls).toHaveLength(64 * 64);
    expect(new Set(regions.cls).size).toBe(2);
    expect(regions.classNames).toEqual(['0', '1']);
    expect(regions.held.split).toBe('validation');
    expect(regions.held.x).toHaveLength(detail.valCount!);
    const wrong = regions.held.label.filter((l, i) => l !== regions.held.predicted[i]).length;
    expect(wrong).toBe(detail.evaluation!.misclassified.length);
    expect(regions.train.x.length + regions.held.x.length).toBe(400);
    const inside = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;
    expect(regions.train.x.every((v) => inside(v, regions.x)) && regions.held.y.every((v) => inside(v, regions.y))).toBe(true);
  });

  it('marks a run failed when its trainer is killed, and keeps serving', async () => {
    const before = host.started.length;
    const spec = { ...findPreset('book-relu')!.spec, training: { ...findPreset('book-relu')!.spec.training, epochs: 50 } };
    const { runIds: [doomed] } = await ws.invoke('runs:start', { spec, datasetId: 'fashion-mnist', limit: 2000, name: 'doomed' });
    await ws.waitFor('runs:epoch', (e) => e.runId === doomed);
    host.started[before].kill();
    const end = await ws.waitFor('runs:finished', (e) => e.runId === doomed);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/the trainer process was killed \(SIGKILL\)/);
    const kept = await ws.invoke('runs:show', { id: doomed });
    expect(kept.epochs.length).toBeGreaterThanOrEqual(1);
    const { runIds: [next] } = await local.invoke('runs:start', { spec: spiralModel, datasetId: spiral, name: 'after the crash' });
    expect((await ws.waitFor('runs:finished', (e) => e.runId === next)).status).toBe('completed');
    // A loss that turns NaN ends the run failed, its reason coded for a page to say in its language.
    const diverging = { ...spiralModel, optimizer: { type: 'sgd' as const, learningRate: 1e6 } };
    const { runIds: [nan] } = await ws.invoke('runs:start', { spec: diverging, datasetId: spiral, name: 'too fast' });
    const bad = await ws.waitFor('runs:finished', (e) => e.runId === nan);
    expect(bad.status).toBe('failed');
    expect(bad.errorCoded?.code).toBe('train.nonFinite');
    expect(bad.error).toBe(messageText(bad.errorCoded!));
  });

  it('stops a queued run and a running one', async () => {
    await ws.invoke('system:settings', { concurrency: 1 });
    // As long as a spec may be (10,000 epochs of one-sample batches): minutes of work, so it is still running when stopped.
    const spec = { ...spiralModel, training: { ...spiralModel.training, epochs: 10000, batchSize: 1 } };
    const { runIds: [running, queued] } = await ws.invoke('runs:start', { spec, datasetId: spiral, repeat: 2, name: 'long' });
    await ws.waitFor('runs:epoch', (e) => e.runId === running);
    expect((await ws.invoke('runs:stop', { id: queued })).status).toBe('stopped');
    expect((await ws.invoke('runs:stop', { id: running })).status).toBe('stopped');
    const r = await ws.invoke('runs:show', { id: running });
    expect(r.epochs.length).toBeGreaterThan(0);
    expect(r.epochs.length).toBeLessThan(10000);
    await ws.invoke('system:settings', { concurrency: 2 });
  });

  it('refuses malformed, oversized and unknown messages, and connections without the token; nothing changes', async () => {
    const n = countRuns().n;
    await expect(ws.raw({ channel: 'runs:nuke', request: {} })).rejects.toThrow(/unknown channel/);
    await expect(ws.raw({ channel: 'datasets:download', request: { id: 'cifar10' } })).rejects.toThrow(/datasets:download: id/);
    // A page cannot pick the host a download goes to: the mirror is the CLI's or the environment's.
    await expect(ws.raw({ channel: 'datasets:download', request: { id: 'mnist', mirror: 'http://127.0.0.1:22/' } })).rejects.toThrow(/datasets:download: request: Unrecognized key: "mirror"/);
    // A dataset is named by id: a path or an old idx:<folder> reference is refused by the contract.
    await expect(ws.raw({ channel: 'datasets:preview', request: { id: 'idx:/tmp/bomb' } })).rejects.toThrow(/datasets:preview: id: 'idx:\/tmp\/bomb' is a path, not a dataset id: import the folder or file first/);
    await expect(ws.raw({ channel: 'runs:start', request: { spec: spiralModel, datasetId: '/etc' } })).rejects.toThrow(/runs:start: datasetId: '\/etc' is a path/);
    await expect(ws.raw({ channel: 'runs:start', request: { spec: {}, datasetId: 5 } })).rejects.toThrow(/runs:start: datasetId/);
    await expect(ws.raw({ channel: 'runs:start', request: { spec: {}, datasetId: 'x', extra: 1 } })).rejects.toThrow(/ContractError|Unrecognized key/);
    await expect(ws.raw({ channel: 'runs:start', request: { spec: { inputShape: [2], layers: [] }, datasetId: spiral } })).rejects.toThrow(/invalid model spec: layers/);
    await expect(local.invoke('runs:delete', { ids: [] })).rejects.toThrow(/ids/);
    // Not JSON, and bigger than the limit.
    const closed = new Promise((resolve) => ws.ws.once('close', resolve));
    ws.ws.send('x'.repeat(2 << 20));
    await closed;
    ws = await WsClient.connect(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await expect(ws.raw({ channel: 'system:info' }).then(() => 'ok')).resolves.toBe('ok');
    for (const url of [`ws://127.0.0.1:${server.port}/ws`, `ws://127.0.0.1:${server.port}/ws?token=wrong`]) {
      await expect(WsClient.connect(url)).rejects.toThrow(/401/);
    }
    // With the token but from another origin, or under a name a DNS-rebinding page would use: refused.
    const url = `ws://127.0.0.1:${server.port}/ws?token=${server.token}`;
    for (const options of [{ origin: 'http://evil.example' }, { headers: { Host: `evil.example:${server.port}` } }]) {
      const foreign = new WebSocket(url, options);
      await expect(new Promise((resolve, reject) => { foreign.once('open', resolve); foreign.once('error', reject); })).rejects.toThrow(/403/);
    }
    const status = (headers: Record<string, string>) => new Promise<number | undefined>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port: server.port, path: '/', headers }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
    });
    expect(await status({ Host: `evil.example:${server.port}` })).toBe(403);
    expect(await status({ Host: `127.0.0.1:${server.port}`, Origin: 'http://evil.example' })).toBe(403);
    expect(await status({ Host: `127.0.0.1:${server.port}` })).toBe(200);
    const raw = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise((r) => raw.once('open', r));
    const reply = new Promise<string>((r) => raw.once('message', (d) => r(d.toString())));
    raw.send('{not json');
    expect(JSON.parse(await reply)).toMatchObject({ ok: false, error: { name: 'ContractError', message: 'message is not valid JSON' } });
    raw.close();
    expect(countRuns().n).toBe(n);
  });

  it('runs an experiment of 2 variants × 3 seeds and says which is better or that they cannot be told apart', async () => {
    const status = await ws.invoke('experiments:start', {
      name: 'activation', spec: spiralModel, seeds: 3, datasetId: spiral,
      variants: [{ name: 'sigmoid', changes: { 'layers.0.activation': 'sigmoid' } }, { name: 'relu', changes: { 'layers.0.activation': 'relu' } }],
    });
    expect(status.groups.map((g) => g.runIds.length)).toEqual([3, 3]);
    await service.idle();
    const done = await local.invoke('experiments:status', { id: status.id });
    expect(done.done).toBe(true);
    expect(done.counts.completed).toBe(6);
    const c = await ws.invoke('compare:runs', { groups: done.groups.map((g) => g.group) });
    expect(c.groups.map((g) => g.label)).toEqual(['sigmoid', 'relu']);
    expect(c.groups.every((g) => g.final.valAccuracy.n === 3)).toBe(true);
    expect(c.verdict).not.toBeNull();
    const v = c.verdict!;
    expect(v.pValue).not.toBeNull();
    expect(v.better === null ? !v.significant : v.significant).toBe(true);
    expect(c.specDiff.map((d) => d.path)).toContain('layers.0.activation');
    // Trained alike, so no caveat; what differs is said as a change of layer.
    expect(c.warnings).toEqual([]);
    expect(c.changes[1].changes).toEqual([{ kind: 'layerChanged', from: 'Dense(16, sigmoid)', to: 'Dense(16, relu)' }]);
    // A run on another dataset is not compared with them: one line naming both datasets.
    const circle = (await ws.invoke('datasets:generate', { kind: 'circle', samples: 100, seed: 1, name: 'ring' })).id;
    const { runIds: [other] } = await ws.invoke('runs:start', { spec: { ...spiralModel, training: { ...spiralModel.training, epochs: 1 } }, datasetId: circle, name: 'ring run' });
    await service.idle();
    const refused = ws.invoke('compare:runs', { groups: [done.groups[0].group], ids: [other] });
    await expect(refused).rejects.toThrow(new RegExp(`^cannot compare activation: sigmoid \\(trained on spiral .*\\(${spiral}\\)\\) with ring run \\(trained on ring \\(${circle}\\)\\): runs on different datasets are not comparable`));
    // Kept in its runs: a window opened later lists it, newest first.
    const listed = await ws.invoke('experiments:list', {});
    expect(listed[0]).toEqual(done);
    expect(listed.filter((e) => e.id === status.id)).toHaveLength(1);
  });

  it('imports a CSV through the importer process, and refuses a broken one in one line', async () => {
    const csv = join(home, 'iris.csv');
    writeFileSync(csv, 'sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,3.0,setosa\n6.3,3.3,virginica\n5.8,2.7,virginica\n');
    const progress: string[] = [];
    ws.on('datasets:progress', (e) => progress.push(e.phase));
    const d = await ws.invoke('datasets:import', { source: { path: csv }, importId: 'iris-1' });
    expect(d.classNames).toEqual(['setosa', 'virginica']);
    expect(d.trainCount).toBe(4);
    expect(progress).toContain('done');
    const broken = join(home, 'broken.csv');
    writeFileSync(broken, 'a,b,label\n1,2,x\n3,oops,y\n');
    const before = (await ws.invoke('datasets:list', {})).length;
    await expect(ws.invoke('datasets:import', { source: { path: broken } })).rejects.toThrow(/broken\.csv.*line 3/);
    expect((await ws.invoke('datasets:list', {})).length).toBe(before);
  });

  it('lets a page name no file outside the import root, by path or by a way around it', async () => {
    const before = (await ws.invoke('datasets:list', {})).length;
    for (const path of ['/etc/passwd', `${home}/../outside.csv`, 'relative.csv']) {
      await expect(ws.invoke('datasets:import', { source: { path } })).rejects.toThrow(/^source: /);
    }
    await expect(ws.invoke('datasets:import', { source: { path: '/etc/hosts' } })).rejects.toThrow(/source: a page cannot name a file by path \(\/etc\/hosts\); only files inside/);
    await expect(ws.invoke('datasets:import', { source: { handle: 'x'.repeat(24) } })).rejects.toThrow(/source: this file handle is unknown or has expired/);
    // Exports: a page names no destination at all; the file goes to the data folder.
    const [run] = await ws.invoke('runs:list', { filter: { status: 'completed' } });
    await expect(ws.invoke('runs:export', { id: run.id, out: { path: join(home, 'victim.txt') } })).rejects.toThrow(/out: a page cannot name a file by path/);
    await expect(ws.invoke('runs:import', { source: { path: '/etc/hosts' } })).rejects.toThrow(/source: a page cannot name a file by path/);
    expect((await ws.invoke('datasets:list', {})).length).toBe(before);
  });
});
