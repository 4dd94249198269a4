/**
 * Issue 17, the queue setting (desktop app, and `serve` without --redis): checked and reached
 * before it is saved (one line naming the field otherwise), saved atomically in the data folder
 * for the owner only, its password never shown; runs go to the queue; turning it off while runs
 * wait there for a worker brings them back to this machine's trainers, and they complete. A saved
 * queue that cannot be reached at start does not stop the start: dispatch is paused with why.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Service } from '../../../src-main/service/service.js';
import { NodeWorkerHost } from '../../../src-main/workers/node-host.js';
import { parseTyped, type Events } from '../../../src-main/shared/contract.js';
import { writeQueueSetting } from '../../../src-main/service/queue-setting.js';
import { tempHome } from '../../helpers/home.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

const SMALL = { inputShape: [2], layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }], training: { epochs: 1 } };

async function until<T>(read: () => Promise<T | null> | T | null, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the queue setting', () => {
  let redis: TestRedis | undefined;
  const services: Service[] = [];
  const { home, cleanup } = tempHome('layerlab-queue-setting-');
  afterAll(async () => {
    for (const s of services) await s.close();
    await redis?.cleanup();
    cleanup();
  });
  const open = async (extra: Partial<ConstructorParameters<typeof Service>[0]> = {}) => {
    const s = new Service({ home, host: new NodeWorkerHost(), concurrency: 1, savedQueue: true, ...extra });
    services.push(s);
    await s.start();
    return s;
  };

  it('is checked, saved for the owner only, used, and turned off without losing the runs waiting on the queue', async () => {
    redis = await startRedis(['--requirepass', 'pa55word']);
    const url = `redis://:pa55word@127.0.0.1:${redis.port}`;
    const service = await open();
    const info = await service.invoke(parseTyped('system:info', {}));
    expect(info.queueSetting).toEqual({ source: null, url: null, localWorkers: 0, editable: true, problem: null });
    expect(info.queue).toBeNull();

    // Refused with one line naming the field, nothing saved.
    await expect(service.invoke(parseTyped('queue:set', { url: 'http://127.0.0.1:6379' }))).rejects.toThrow(/^Redis address: 'http:\/\/127\.0\.0\.1:6379' is not a Redis address/);
    await expect(service.invoke(parseTyped('queue:set', { url: `redis://:wrong@127.0.0.1:${redis.port}` }))).rejects.toThrow(/^Redis address redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: refused the password/);
    expect(existsSync(join(home, 'queue.json'))).toBe(false);

    const set = await service.invoke(parseTyped('queue:set', { url, localWorkers: 0 }));
    expect(set).toMatchObject({ source: 'setting', url: `redis://:***@127.0.0.1:${redis.port}`, localWorkers: 0, editable: true });
    expect(JSON.stringify(set)).not.toContain('pa55word');
    const file = join(home, 'queue.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url, localWorkers: 0 });
    await until(async () => ((await service.invoke(parseTyped('system:info', {}))).queue?.state === 'connected' ? true : null), 'connected');

    // Two runs go to the queue; no worker takes them.
    const events: Events['runs:finished'][] = [];
    service.on('runs:finished', (e) => { events.push(e); });
    const xor = await service.invoke(parseTyped('datasets:generate', { kind: 'xor', samples: 200, seed: 1 }));
    const { runIds } = await service.invoke(parseTyped('runs:start', { spec: SMALL, datasetId: xor.id, repeat: 2, name: 'waiting' }));
    const probe = new Redis(url);
    try {
      await until(async () => ((await probe.llen('bull:layerlab-runs:wait')) === 2 ? true : null), 'two jobs waiting on the queue');
      // Turned off: the waiting runs come back and train here; the queue is empty again.
      const off = await service.invoke(parseTyped('queue:set', { url: null }));
      expect(off).toEqual({ source: null, url: null, localWorkers: 0, editable: true, problem: null, status: null });
      expect(existsSync(file)).toBe(false);
      await service.idle();
      expect(await probe.llen('bull:layerlab-runs:wait')).toBe(0);
    } finally {
      probe.disconnect();
    }
    expect(events.map((e) => e.status)).toEqual(['completed', 'completed']);
    for (const id of runIds) {
      const run = await service.invoke(parseTyped('runs:show', { id }));
      expect(run.status).toBe('completed');
      expect(run.epochs).toHaveLength(1);
      expect(run.worker).toBeNull();
    }

    // Saved again, then Layerlab starts while Redis is away: it starts, paused, and connects when Redis is back.
    await service.invoke(parseTyped('queue:set', { url, localWorkers: 1 }));
    await service.close();
    services.pop();
    await redis.stop();
    const again = await open();
    const queued: Events['system:queue'][] = [];
    again.on('system:queue', (e) => { queued.push(e); });
    const paused = await until(async () => {
      const q = (await again.invoke(parseTyped('system:info', {}))).queue;
      return q?.state === 'paused' ? q : null;
    }, 'paused at start');
    expect(paused.reason).toEqual({ code: 'unreachable', detail: 'ECONNREFUSED' });
    expect((await again.invoke(parseTyped('system:info', {}))).queueSetting).toEqual({ source: 'setting', url: `redis://:***@127.0.0.1:${redis.port}`, localWorkers: 1, editable: true, problem: null });
    await redis.restart();
    await until(() => (queued.some((e) => e.status?.state === 'connected') ? true : null), 'connected once Redis is back');
  });

  it('a saved queue nothing answers neither stops the start nor holds up the close', async () => {
    const other = tempHome('layerlab-queue-nowhere-');
    try {
      writeQueueSetting(other.home, { url: 'redis://127.0.0.1:1', localWorkers: 0 });
      const lines: string[] = [];
      const service = new Service({ home: other.home, host: new NodeWorkerHost(), savedQueue: true, onQueueLine: (l) => lines.push(l) });
      await service.start();
      await until(async () => ((await service.invoke(parseTyped('system:info', {}))).queue?.state === 'paused' ? true : null), 'paused');
      expect(lines).toEqual(['Redis at redis://127.0.0.1:1 cannot be reached (ECONNREFUSED): dispatch paused; retrying']);
      await service.close();
    } finally {
      other.cleanup();
    }
  });

  it('a damaged saved setting does not stop the start: runs train here, and it says why until the queue is set again', async () => {
    const other = tempHome('layerlab-queue-damaged-');
    try {
      const file = join(other.home, 'queue.json');
      writeFileSync(file, '{"url": ');
      const service = new Service({ home: other.home, host: new NodeWorkerHost(), concurrency: 1, savedQueue: true });
      services.push(service);
      await service.start();
      const info = await service.invoke(parseTyped('system:info', {}));
      expect(info.queue).toBeNull();
      expect(info.queueSetting).toEqual({
        source: null, url: null, localWorkers: 0, editable: true,
        problem: { code: 'queue.settingDamaged', params: { file, detail: 'not valid JSON' } },
      });
      const xor = await service.invoke(parseTyped('datasets:generate', { kind: 'xor', samples: 200, seed: 1 }));
      const { runIds } = await service.invoke(parseTyped('runs:start', { spec: SMALL, datasetId: xor.id, name: 'here' }));
      await service.idle();
      expect((await service.invoke(parseTyped('runs:show', { id: runIds[0] }))).status).toBe('completed');
      expect(readFileSync(file, 'utf8')).toBe('{"url": ');
      // Turned off (or set) in Settings: the file is replaced and the note goes.
      const off = await service.invoke(parseTyped('queue:set', { url: null }));
      expect(off.problem).toBeNull();
      expect(existsSync(file)).toBe(false);
    } finally {
      other.cleanup();
    }
  });

  it('is fixed by --redis: the faces cannot change it', async () => {
    const service = await open({ redis: { url: redis!.url.replace('redis://', 'redis://:pa55word@') } });
    expect((await service.invoke(parseTyped('system:info', {}))).queueSetting).toMatchObject({ source: 'flag', editable: false });
    await expect(service.invoke(parseTyped('queue:set', { url: null }))).rejects.toThrow(/started with --redis/);
  });
});
