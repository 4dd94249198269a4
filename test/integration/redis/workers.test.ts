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
