/**
 * Issue 17, faults: one experiment on a real Redis meets both. A worker SIGKILLed mid-run: its
 * job stalls and the other worker takes it up as attempt 2; the lost attempt's epochs are kept
 * apart, the run's own are 1..n once. Then Redis is killed and comes back empty a few seconds
 * later (no persistence): the owner says dispatch is paused and resumed, queues again what Redis
 * lost, and every run still completes exactly once.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { openStore } from '../../../src-main/store/runs.js';
import { jsonLines, layerlab, startLayerlab } from '../../helpers/cli.js';
import { tempHome } from '../../helpers/home.js';
import { startRedis, startWorker, stopWorker, type TestRedis } from '../../helpers/redis.js';

const RUNS = 4;
// Long enough that a run is surely mid-way when the kill lands (a few seconds), short enough for CI.
const EPOCHS = 300;
const STALL = ['--stall-seconds', '2'];

/** Resolves when `text()` matches, checking as output arrives. */
function waitFor<T>(read: () => T | null, emitter: NodeJS.EventEmitter[], what: string, timeoutMs = 90_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    const check = () => {
      const v = read();
      if (v !== null) { clearTimeout(timer); for (const e of emitter) e.off('data', check); resolve(v); }
    };
    for (const e of emitter) e.on('data', check);
    check();
  });
}

describe('a worker killed mid-run and a Redis that goes away', () => {
  let redis: TestRedis;
  const owner = tempHome('layerlab-owner-');
  const homes = [tempHome('layerlab-w1-'), tempHome('layerlab-w2-')];
  const workers: { child: ChildProcess; log: () => string }[] = [];
  let dataset = '';

  beforeAll(async () => {
    redis = await startRedis();
    const made = layerlab(['datasets', 'generate', 'xor', '--samples', '4000', '--json'], owner.home);
    expect(made.code, made.stderr).toBe(0);
    dataset = (JSON.parse(made.stdout) as { id: string }).id;
    workers.push(...await Promise.all(homes.map((h, i) => startWorker(redis.url, h.home, `w${i + 1}`, STALL))));
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
    await redis?.cleanup();
    for (const h of [owner, ...homes]) h.cleanup();
  });

  it('retries the killed worker\'s run on the other, pauses dispatch while Redis is away, and completes every run once', async () => {
    const train = startLayerlab(['train', '--redis', redis.url, ...STALL, '--dataset', dataset, '--repeat', String(RUNS), '--epochs', String(EPOCHS), '--backend', 'native', '--json'], owner.home);
    let stdout = '';
    let stderr = '';
    train.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
    train.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
    const exited = new Promise<number | null>((resolve) => train.once('exit', (code) => resolve(code)));

    // The run w1 trains, once the owner has committed two of its epochs: then w1 is killed.
    const w1 = workers[0];
    const victim = await waitFor(() => {
      const ids = [...w1.log().matchAll(/run (\w+): training on/g)].map((m) => m[1]);
      const committed = jsonLines(stdout).filter((l) => l.type === 'epoch' && ids.includes(l.runId as string) && (l.epoch as number) >= 2);
      return committed.length ? committed[0].runId as string : null;
    }, [train.stdout!, w1.child.stdout!], 'an epoch of a run on w1');
    await stopWorker(w1);

    // w2 takes the stalled run up as a second attempt.
    await waitFor(() => (new RegExp(`run ${victim}: training on`).test(workers[1].log()) ? true : null), [workers[1].child.stdout!], 'w2 to take up the killed run');

    // Then Redis goes away for a few seconds and comes back empty.
    await redis.stop();
    await sleep(3000);
    await redis.restart();

    expect(await exited, stderr).toBe(0);
    expect(stderr).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+ cannot be reached \([^)]+\): dispatch paused/);
    expect(stderr).toMatch(/is back: dispatch resumed/);
    const results = jsonLines(stdout).filter((l) => l.type === 'result');
    expect(results).toHaveLength(RUNS);
    expect(results.every((l) => l.status === 'completed' && l.epochs === EPOCHS)).toBe(true);

    const store = openStore(owner.home);
    const runs = store.listRuns().map((r) => store.getRun(r.id)!);
    store.close();
    expect(runs).toHaveLength(RUNS);
    for (const run of runs) {
      expect(run.status).toBe('completed');
      // Each epoch once, whatever was retried or repeated.
      expect(run.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
      expect(run.epochsDone).toBe(EPOCHS);
    }
    const killed = runs.find((r) => r.id === victim)!;
    expect(killed.attempt).toBeGreaterThanOrEqual(2);
    expect(killed.worker?.name).toBe('w2');
    expect(killed.lostAttempts![0]).toMatchObject({ attempt: 1, worker: { name: 'w1' } });
    expect(killed.lostAttempts![0].epochs.length).toBeGreaterThanOrEqual(2);
    expect(killed.lostAttempts![0].why).toMatch(/w1 stopped reporting.*retried on w2/);
    const shown = layerlab(['runs', 'show', victim], owner.home);
    expect(shown.stdout).toMatch(new RegExp(`trained by queue worker w2 on \\S+, attempt ${killed.attempt}\\nattempt 1 on w1 was lost after ${killed.lostAttempts![0].epochs.length} epochs`));
    // The events the owner printed: each run's epochs once per attempt at most, never beyond its own.
    for (const run of runs) {
      const printed = jsonLines(stdout).filter((l) => l.type === 'epoch' && l.runId === run.id).length;
      expect(printed).toBe(EPOCHS + (run.lostAttempts ?? []).reduce((n, a) => n + a.epochs.length, 0));
    }
  });
});
