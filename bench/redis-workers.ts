/**
 * The queue workers (issue 17): the same 12-run experiment (the book's MLP fitted to a generated
 * 2-feature set of 4,000 samples, 20 epochs, 12 seeds) trained three ways, each timed from the
 * `layerlab train` command's start to its exit:
 *   - local1: one local trainer at a time (--concurrency 1), the "one process" reference;
 *   - localBest: local trainers, one per core (the default: the local queue's best configuration);
 *   - workers2: `train --redis` with two `layerlab worker` processes (each --concurrency 1, data
 *     folders of their own) on a redis-server started here on a loopback port, no persistence.
 * On one machine the workers cannot beat local parallel runs (same cores, plus the queue's
 * hops): the figure says what the queue costs; on more machines it adds their cores.
 * Prints one JSON object: {runs, epochs, local1Seconds, localBestSeconds, workers2Seconds,
 * speedupOverOne: local1 / workers2, ratioToLocalBest: workers2 / localBest, …}.
 *
 *   npx tsx bench/redis-workers.ts [--runs 12] [--epochs 20]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { ROOT, loadAverage } from './reference.js';

const CLI = join(ROOT, 'out', 'node', 'cli.js');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '12' }, epochs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const EPOCHS = Number(values.epochs);
const env = { ...process.env, LAYERLAB_BROWSER: 'none' };

function cli(args: string[], home: string): { code: number | null; stdout: string; stderr: string; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args, '--home', home], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

function cliAsync(args: string[], home: string): Promise<{ code: number | null; stderr: string; seconds: number }> {
  const t0 = performance.now();
  const c = spawn(process.execPath, [CLI, ...args, '--home', home], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  c.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  return new Promise((resolve) => c.on('exit', (code) => resolve({ code, stderr, seconds: (performance.now() - t0) / 1000 })));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
  });
}

function waitForLine(c: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (b: Buffer) => { out += b.toString(); if (pattern.test(out)) resolve(); });
    c.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}: ${out.slice(-300)}`)));
  });
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'layerlab-bench-redis-'));
  const children: ChildProcess[] = [];
  try {
    const owner = join(root, 'owner');
    const made = cli(['datasets', 'generate', 'xor', '--samples', '4000', '--json'], owner);
    if (made.code !== 0) throw new Error(made.stderr);
    const dataset = (JSON.parse(made.stdout) as { id: string }).id;
    const experiment = ['train', '--dataset', dataset, '--repeat', String(RUNS), '--epochs', String(EPOCHS), '--backend', 'native', '--json'];
    const check = (r: { code: number | null; stderr: string }, what: string) => { if (r.code !== 0) throw new Error(`${what}: ${r.stderr.trim().split('\n').pop()}`); };

    const local1 = cli([...experiment, '--concurrency', '1'], owner);
    check(local1, 'local, one trainer');
    const localBest = cli(experiment, owner);
    check(localBest, 'local, one trainer per core');

    const port = await freePort();
    const redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', root], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(redis);
    await waitForLine(redis, /Ready to accept connections/);
    const url = `redis://127.0.0.1:${port}`;
    for (const name of ['w1', 'w2']) {
      const w = spawn(process.execPath, [CLI, 'worker', '--redis', url, '--name', name, '--home', join(root, name)], { env, stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(w);
      await waitForLine(w, /takes runs from/);
    }
    const workers2 = await cliAsync([...experiment, '--redis', url], owner);
    check(workers2, 'two workers on Redis');

    process.stdout.write(`${JSON.stringify({
      runs: RUNS, epochs: EPOCHS, samples: 4000, cores: cpus().length, load: loadAverage(),
      local1Seconds: +local1.seconds.toFixed(2), localBestSeconds: +localBest.seconds.toFixed(2), workers2Seconds: +workers2.seconds.toFixed(2),
      speedupOverOne: +(local1.seconds / workers2.seconds).toFixed(3),
      ratioToLocalBest: +(workers2.seconds / localBest.seconds).toFixed(3),
    })}\n`);
  } finally {
    for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`redis-workers: ${(err as Error).message}\n`);
  process.exit(1);
});
