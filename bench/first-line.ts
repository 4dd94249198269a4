/**
 * Time to first line: `layerlab train --preset book-relu --limit 500 --epochs 1` on Fashion-MNIST,
 * from the command to its first line (the backend line) and to its epoch line, on a fresh data
 * folder and again on the same folder (probe cache and dataset cache warm), against PyTorch doing
 * the same tiny run (import torch, read the IDX files, build 784-100-10, one epoch on 400 samples,
 * print the epoch line) on 1 and on 2 threads (its best counts), and bare `node -e 0`, round by round
 * in the same run.
 * With LAYERLAB_TRACE each process of ours marks its phases (src-main/shared/trace.ts); the bench
 * reports the best round's marks, in ms from the command.
 *
 * Prints one JSON object: {fresh: {firstLineMs, epochLineMs, exitMs, marks}, cached: {...},
 * pytorch: {epochLineMs}, node: {exitMs}, ratios: {cachedFirstLineVsPytorchEpoch, ...}}.
 *
 *   npx tsx bench/first-line.ts [--rounds N] [--backend auto|native|...] [--root DIR]
 *
 * --root: the checkout whose bin/layerlab.js runs (default this one): another build, for a before/after.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { PYTHON, pythonHas, ROOT } from './reference.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };
const ROUNDS = Number(opt('rounds', '3'));
const BACKEND = opt('backend', 'auto');
const FASHION = '/usr/share/datasets/fashion-mnist';
const CLI_ROOT = opt('root', ROOT);
const CLI = join(CLI_ROOT, 'bin', 'layerlab.js');

interface Timing { firstLineMs: number | null; epochLineMs: number | null; exitMs: number; code: number | null; marks?: Record<string, number> }

/** Spawns a command and times its first output line, its first line matching `epoch`, and its exit. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, epoch: RegExp): Promise<Timing & { output: string }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstLineMs: number | null = null;
    let epochLineMs: number | null = null;
    let output = '';
    const onData = (chunk: Buffer) => {
      const now = performance.now() - t0;
      output += chunk.toString();
      if (firstLineMs === null && output.includes('\n')) firstLineMs = now;
      if (epochLineMs === null && epoch.test(output)) epochLineMs = now;
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ firstLineMs, epochLineMs, exitMs: performance.now() - t0, code, output }));
  });
}

/** The trace's marks in ms from the command's start (t0Epoch), first occurrence of each label. */
function readMarks(file: string, t0Epoch: number): Record<string, number> {
  const marks: Record<string, number> = {};
  if (!existsSync(file)) return marks;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d+(?:\.\d+)?) (\d+) (.*)$/.exec(line);
    if (!m) continue;
    const label = m[3].startsWith('process start') ? `${m[3]} [${m[2]}]` : m[3];
    if (!(label in marks)) marks[label] = Math.round(Number(m[1]) - t0Epoch);
  }
  return marks;
}

async function ours(home: string): Promise<Timing> {
  const traceFile = join(home, '..', `trace-${Date.now()}.txt`);
  const t0Epoch = performance.timeOrigin + performance.now();
  const r = await timed(process.execPath, [CLI, 'train', '--preset', 'book-relu', '--limit', '500', '--epochs', '1', '--backend', BACKEND, '--home', home],
    { ...process.env, LAYERLAB_TRACE: traceFile, LAYERLAB_HOME: '' }, /epoch 1\/1 /);
  if (r.code !== 0) throw new Error(`layerlab train exited ${r.code}: ${r.output.trim().split('\n').pop()}`);
  const marks = readMarks(traceFile, t0Epoch);
  rmSync(traceFile, { force: true });
  return { firstLineMs: r.firstLineMs, epochLineMs: r.epochLineMs, exitMs: r.exitMs, code: r.code, marks };
}

const TORCH = `
import gzip, time, sys
import numpy as np
import torch
def idx(path, offset):
    with gzip.open(path) as f: return np.frombuffer(f.read(), np.uint8, offset=offset)
root = sys.argv[1]
x = idx(root + '/train-images-idx3-ubyte.gz', 16).reshape(-1, 784)[:500].astype(np.float32) / 255
y = idx(root + '/train-labels-idx1-ubyte.gz', 8)[:500].astype(np.int64)
torch.manual_seed(1); torch.set_num_threads(int(sys.argv[2]))
model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
opt = torch.optim.Adam(model.parameters())
xt, yt = torch.from_numpy(x[:400]), torch.from_numpy(y[:400])
for i in range(0, 400, 32):
    opt.zero_grad(); loss = torch.nn.functional.cross_entropy(model(xt[i:i+32]), yt[i:i+32]); loss.backward(); opt.step()
print(f"epoch 1/1 loss {loss.item():.4f}", flush=True)
`;

const min = (xs: (number | null)[]) => { const v = xs.filter((x): x is number => x !== null); return v.length ? Math.round(Math.min(...v)) : null; };

async function main(): Promise<void> {
  if (!existsSync(CLI) || !existsSync(join(CLI_ROOT, 'out', 'node', 'cli.js'))) throw new Error('run npm run build first (out/node/cli.js is missing)');
  if (!existsSync(FASHION)) throw new Error(`${FASHION} is missing (apt-get install -y dataset-fashion-mnist)`);
  const torch = existsSync(PYTHON) && pythonHas('torch');
  const loadBefore = loadavg();
  const rounds: { fresh: Timing; cached: Timing; torch: Timing[]; node: Timing }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-first-line-'));
    try {
      const home = join(dir, 'home');
      const fresh = await ours(home);
      const cached = await ours(home);
      // PyTorch in its best setting: 1 and 2 threads each round, the faster counts.
      const t: Timing[] = [];
      if (torch) for (const threads of ['1', '2']) t.push(await timed(PYTHON, ['-c', TORCH, FASHION, threads], process.env, /epoch 1\/1 /));
      const node = await timed(process.execPath, ['-e', '0'], process.env, /$^/);
      rounds.push({ fresh, cached, torch: t, node });
      process.stderr.write(`round ${r + 1}: fresh ${fresh.firstLineMs?.toFixed(0)} ms, cached ${cached.firstLineMs?.toFixed(0)} ms, pytorch epoch line ${t.map((x) => x.epochLineMs?.toFixed(0) ?? '-').join(' / ') || '-'} ms (1 / 2 threads)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const best = (key: 'fresh' | 'cached') => {
    const b = rounds.map((r) => r[key]).sort((a, c) => (a.firstLineMs ?? Infinity) - (c.firstLineMs ?? Infinity))[0];
    return { firstLineMs: min(rounds.map((r) => r[key].firstLineMs)), epochLineMs: min(rounds.map((r) => r[key].epochLineMs)), exitMs: min(rounds.map((r) => r[key].exitMs)), rounds: rounds.map((r) => Math.round(r[key].firstLineMs ?? NaN)), marks: b.marks };
  };
  const fresh = best('fresh');
  const cached = best('cached');
  const pytorchEpoch = torch ? min(rounds.flatMap((r) => r.torch.map((x) => x.epochLineMs))) : null;
  const pytorchByThreads = torch ? { 1: min(rounds.map((r) => r.torch[0].epochLineMs)), 2: min(rounds.map((r) => r.torch[1].epochLineMs)) } : null;
  const nodeExit = min(rounds.map((r) => r.node.exitMs));
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && a > 0 ? Math.round((b / a) * 100) / 100 : null);
  process.stdout.write(`${JSON.stringify({
    root: CLI_ROOT,
    command: `layerlab train --preset book-relu --limit 500 --epochs 1 --backend ${BACKEND}`,
    rounds: ROUNDS, target: 'cached firstLineMs < 1500',
    fresh, cached,
    pytorch: torch ? { epochLineMs: pytorchEpoch, byThreads: pytorchByThreads } : { epochLineMs: null, why: `not measured: ${PYTHON} cannot import torch (apt-get install -y python3-torch)` },
    node: { exitMs: nodeExit },
    /** > 1: ours sooner. PyTorch's epoch line against ours (fresh and cached); bare Node's start against our first line. */
    ratios: {
      cachedEpochLineVsPytorch: ratio(cached.epochLineMs, pytorchEpoch),
      freshEpochLineVsPytorch: ratio(fresh.epochLineMs, pytorchEpoch),
      cachedFirstLineVsBareNode: ratio(cached.firstLineMs, nodeExit),
    },
    loadBefore: loadBefore.map((v) => Math.round(v * 100) / 100), loadAfter: loadavg().map((v) => Math.round(v * 100) / 100),
  })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`first-line bench: ${(err as Error).message}\n`);
  process.exit(1);
});
