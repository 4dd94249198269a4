/**
 * Issue 17: an experiment spread over `layerlab worker` processes through a real Redis with
 * BullMQ. 12 short runs, queued by `layerlab train --redis`, trained by two workers with data
 * folders of their own (the dataset reaches them by content hash): each run completes exactly
 * once, its epochs committed by the owner alone, recording the worker that trained it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { openStore } from '../../../src-main/store/runs.js';
import { jsonLines, layerlab, layerlabAsync } from '../../helpers/cli.js';
import { tempHome } from '../../helpers/home.js';
import { startRedis, startWorker, stopWorker, type TestRedis } from '../../helpers/redis.js';

describe('runs on a Redis queue, trained by two workers', () => {
  let redis: TestRedis;
  const owner = tempHome('layerlab-owner-');
  const homes = [tempHome('layerlab-w1-'), tempHome('layerlab-w2-')];
  const workers: { child: ChildProcess; log: () => string }[] = [];
  let dataset = '';

  beforeAll(async () => {
    redis = await startRedis();
    const made = layerlab(['datasets', 'generate', 'xor', '--json'], owner.home);
    expect(made.code, made.stderr).toBe(0);
    dataset = (JSON.parse(made.stdout) as { id: string }).id;
    workers.push(...await Promise.all(homes.map((h, i) => startWorker(redis.url, h.home, `w${i + 1}`))));
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await redis?.cleanup();
    for (const h of [owner, ...homes]) h.cleanup();
  });

  it('12 runs complete exactly once each, spread over both workers, each recording its worker', async () => {
    const r = await layerlabAsync(['train', '--redis', redis.url, '--dataset', dataset, '--repeat', '12', '--epochs', '2', '--json'], owner.home);
    expect(r.code, r.stderr).toBe(0);
    const results = jsonLines(r.stdout).filter((l) => l.type === 'result');
    expect(results).toHaveLength(12);
    expect(results.every((l) => l.status === 'completed' && l.epochs === 2)).toBe(true);

    const store = openStore(owner.home);
    const runs = store.listRuns();
    const details = runs.map((run) => store.getRun(run.id)!);
    store.close();
    expect(runs).toHaveLength(12);
    for (const d of details) {
      expect(d.status).toBe('completed');
      expect(d.epochs.map((e) => e.epoch)).toEqual([1, 2]);
      expect(d.attempt).toBe(1);
      expect(d.lostAttempts).toEqual([]);
      expect(['w1', 'w2']).toContain(d.worker?.name);
      expect(d.worker?.backend).toBe(d.backend);
      expect(d.worker?.device).toBe(d.device);
    }
    // Both workers trained some of them; together, each run exactly once.
    const taken = workers.map((w) => [...w.log().matchAll(/run (\w+): taken/g)].map((m) => m[1]));
    expect(taken[0].length).toBeGreaterThan(0);
    expect(taken[1].length).toBeGreaterThan(0);
    expect([...taken[0], ...taken[1]].sort()).toEqual(runs.map((x) => x.id).sort());
    for (const [i, d] of details.entries()) expect(taken[d.worker!.name === 'w1' ? 0 : 1]).toContain(runs[i].id);
    // The dataset went to each worker by its content hash and is kept there, checked; the owner fetched nothing.
    for (const h of homes) expect(readdirSync(join(h.home, 'remote-datasets')).filter((n) => /^[0-9a-f]{64}$/.test(n))).toHaveLength(1);
    expect(existsSync(join(owner.home, 'remote-datasets'))).toBe(false);
  });
});

describe('a worker refuses a job it cannot train as asked', () => {
  it('another Layerlab version, or a dataset whose content hash is not its own: the reason goes to the owner', async () => {
    const redis = await startRedis();
    const home = tempHome('layerlab-w3-');
    const worker = await startWorker(redis.url, home.home, 'w3');
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const conn = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('layerlab-runs', { connection: conn });
    try {
      const owner = 'test-owner-1';
      await conn.set(`layerlab:owner:${owner}`, '1');
      const base = {
        format: 1, version: '0.1.0', owner, spec: { inputShape: [28, 28], layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }] },
        dataset: 'fashion-mnist', datasetHash: 'a'.repeat(64), backend: 'cpu', path: 'fast', saveModel: false,
      };
      await queue.add('train', { ...base, runId: 'run0version', version: '9.9.9' }, { jobId: 'run-run0version' });
      await queue.add('train', { ...base, runId: 'run00hash0' }, { jobId: 'run-run00hash0' });
      await queue.add('train', { ...base, runId: 'run00shell', spec: 'rm -rf /' }, { jobId: 'run-run00shell' });
      const reports: { runId: string; message: { type: string; error?: { message: string } } }[] = [];
      let last = '0';
      for (let i = 0; i < 60 && reports.length < 3; i++) {
        const got = await conn.xread('BLOCK', 1000, 'STREAMS', `layerlab:results:${owner}`, last) as [string, [string, string[]][]][] | null;
        for (const [, entries] of got ?? []) for (const [id, f] of entries) { last = id; reports.push(JSON.parse(f[1]) as typeof reports[number]); }
      }
      const why = (id: string) => reports.find((r) => r.runId === id)?.message;
      expect(why('run0version')).toMatchObject({ type: 'error' });
      expect(why('run0version')!.error!.message).toBe('worker w3 refused run run0version: it runs Layerlab 0.1.0, the run was queued by Layerlab 9.9.9; install the same version on every machine');
      expect(why('run00hash0')!.error!.message).toMatch(/^worker w3 refused run run00hash0: its fashion-mnist is not the one this worker's Layerlab knows \(content hash aaaaaaaaaaaa…/);
      expect(why('run00shell')!.error!.message).toMatch(/^worker w3 refused run run00shell: its model is not valid here/);
      // Nothing was trained for them, and the queue failed each job with the same reason.
      expect(worker.log()).not.toMatch(/training on/);
      expect((await queue.getJob('run-run0version'))!.failedReason).toMatch(/Layerlab 9\.9\.9/);
    } finally {
      await queue.close();
      conn.disconnect();
      await stopWorker(worker);
      await redis.cleanup();
      home.cleanup();
    }
  });
});
