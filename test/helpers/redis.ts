/**
 * A real redis-server for a test: on a free loopback port, in a temp folder of its own, no
 * persistence (`--save '' --appendonly no`). stop() ends it; restart() starts a fresh, empty one
 * on the same port, as a Redis that crashed and came back without its data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLayerlab } from './cli.js';

export const REDIS_SERVER = '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startRedis(extra: string[] = []): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = (): Promise<void> => new Promise((resolve, reject) => {
    const c = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/Ready to accept connections/.test(out)) { c.stdout!.off('data', onData); resolve(); }
    };
    c.stdout!.on('data', onData);
    c.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`)));
    c.once('error', reject);
  });
  const stop = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await gone;
    child = null;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    restart: launch,
    cleanup: async () => { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}

/** Starts `layerlab worker` and resolves once it waits for runs; its output is collected. */
export async function startWorker(url: string, home: string, name: string, extra: string[] = []): Promise<{ child: ChildProcess; log: () => string }> {
  const child = startLayerlab(['worker', '--redis', url, '--name', name, ...extra], home);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  await new Promise<void>((resolve, reject) => {
    const check = () => { if (out.includes('takes runs from')) resolve(); };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`worker ${name} exited (${code}): ${out}`)));
  });
  return { child, log: () => out };
}

export function stopWorker(w: { child: ChildProcess }): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { w.child.once('exit', () => resolve()); w.child.kill('SIGKILL'); });
}

