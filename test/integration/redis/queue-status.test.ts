/**
 * Issue 17, the queue's state for the faces: a service on a real Redis (with a password) says it
 * is connected, paused with why when Redis goes away, and resumed when it is back, as the
 * 'system:queue' event and in system:info; every payload parses by the contract's schema and the
 * password never appears in it.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { Service } from '../../../src-main/service/service.js';
import { NodeWorkerHost } from '../../../src-main/workers/node-host.js';
import { parseTyped, QueueEventSchema, type Events } from '../../../src-main/shared/contract.js';
import { tempHome } from '../../helpers/home.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

function until(events: Events['system:queue'][], pred: (e: Events['system:queue']) => boolean, what: string): Promise<Events['system:queue']> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} event; got ${JSON.stringify(events)}`)), 30_000);
    const check = () => {
      const hit = events.find(pred);
      if (hit) { clearTimeout(timer); clearInterval(every); resolve(hit); }
    };
    const every = setInterval(check, 50);
    check();
  });
}

describe('the queue state the faces see', () => {
  let redis: TestRedis | undefined;
  let service: Service | undefined;
  const { home, cleanup } = tempHome('layerlab-queue-status-');
  afterAll(async () => {
    await service?.close();
    await redis?.cleanup();
    cleanup();
  });

  it('connected, paused with why, resumed; parsed by the contract, password redacted', async () => {
    redis = await startRedis(['--requirepass', 'pa55word']);
    const url = `redis://:pa55word@127.0.0.1:${redis.port}`;
    service = new Service({ home, host: new NodeWorkerHost(), redis: { url, localWorkers: 1 } });
    const events: Events['system:queue'][] = [];
    service.on('system:queue', (e) => { events.push(e); });
    await service.start();

    const info = await service.invoke(parseTyped('system:info', {}));
    expect(info.queue).toMatchObject({ state: 'connected', reason: null, url: `redis://:***@127.0.0.1:${redis.port}`, localWorkers: 1 });

    await redis.stop();
    const paused = await until(events, (e) => e.status?.state === 'paused' && e.status.reason?.code === 'unreachable', 'paused');
    // The refused connection names its code; the banner shows it.
    expect(paused.status!.reason!.detail).toBe('ECONNREFUSED');
    expect((await service.invoke(parseTyped('system:info', {}))).queue?.state).toBe('paused');

    await redis.restart();
    await until(events, (e) => e.status?.state === 'resumed', 'resumed');
    expect((await service.invoke(parseTyped('system:info', {}))).queue).toMatchObject({ state: 'resumed', reason: null });

    for (const e of events) {
      expect(QueueEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
      expect(JSON.stringify(e)).not.toContain('pa55word');
    }
  });
});
