/**
 * Image-folder import speed: 10,000 Fashion-MNIST images written once as gray PNGs in one folder per
 * class, imported (header scan, decode, cache write) in a child process so its peak RSS is its own,
 * against Pillow decoding the same files into one NumPy array (python3-pil) in the same run.
 * Prints one JSON object: {images, bytes, oursSeconds, oursImagesPerSecond, oursMBps, oursPeakRssMB,
 * pillowSeconds, ratio: pillowSeconds / oursSeconds}.
 *
 *   npx tsx bench/import-images.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { readIdxPair } from '../src-main/data/formats/idx.js';
import { readImageFolder } from '../src-main/data/formats/images.js';
import { writeDatasetCache } from '../src-main/data/cache/index.js';

const SOURCE = '/usr/share/datasets/fashion-mnist';
const COUNT = 10_000;

async function ensureFolder(): Promise<string> {
  const dir = join(tmpdir(), 'layerlab-bench', 'fashion-mnist-png-gray');
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.part`;
  rmSync(tmp, { recursive: true, force: true });
  const { x, y } = readIdxPair(join(SOURCE, 't10k-images-idx3-ubyte.gz'), join(SOURCE, 't10k-labels-idx1-ubyte.gz'));
  for (let c = 0; c < 10; c++) mkdirSync(join(tmp, `class${c}`), { recursive: true });
  for (let i = 0; i < COUNT; i++) {
    const pixels = Buffer.from(x.subarray(i * 784, (i + 1) * 784));
    // 8-bit gray PNGs, as the images are: both sides then decode the same thing into 28×28×1.
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).toColourspace('b-w').png().toFile(join(tmp, `class${y[i]}`, `${i}.png`));
  }
  renameSync(tmp, dir);
  return dir;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const c of readdirSync(dir)) for (const f of readdirSync(join(dir, c))) total += statSync(join(dir, c, f)).size;
  return total;
}

async function child(dir: string, home: string): Promise<void> {
  const t0 = performance.now();
  const parsed = await readImageFolder(dir);
  await writeDatasetCache(home, parsed, { name: 'png', sourcePath: dir, format: 'images' });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ seconds, count: parsed.train.count, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

const PILLOW = `
import os, sys, time
import numpy as np
from PIL import Image
root = sys.argv[1]
t0 = time.perf_counter()
files = [os.path.join(root, c, f) for c in sorted(os.listdir(root)) for f in sorted(os.listdir(os.path.join(root, c)))]
x = np.stack([np.asarray(Image.open(f).convert('L')) for f in files])
print(time.perf_counter() - t0)
`;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4]);
  const dir = await ensureFolder();
  const bytes = folderBytes(dir);
  const self = fileURLToPath(import.meta.url);
  let best: { seconds: number; count: number; maxRssMB: number } | null = null;
  for (let i = 0; i < 2; i++) {
    const home = mkdtempSync(join(tmpdir(), 'layerlab-bench-home-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', dir, home], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`import child failed: ${run.stderr}`);
      const r = JSON.parse(run.stdout) as { seconds: number; count: number; maxRssMB: number };
      if (!best || r.seconds < best.seconds) best = r;
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  let pillow: number | null = null;
  for (let i = 0; i < 2; i++) {
    const run = spawnSync('/usr/bin/python3', ['-c', PILLOW, dir], { encoding: 'utf8' });
    const s = Number(run.stdout.trim());
    if (run.status === 0 && Number.isFinite(s)) pillow = pillow === null ? s : Math.min(pillow, s);
  }
  const round = (v: number, d = 3) => Number(v.toFixed(d));
  console.log(JSON.stringify({
    images: best!.count, bytes,
    oursSeconds: round(best!.seconds), oursImagesPerSecond: Math.round(best!.count / best!.seconds),
    oursMBps: round(bytes / 1e6 / best!.seconds, 1), oursPeakRssMB: round(best!.maxRssMB, 1),
    pillowSeconds: pillow === null ? null : round(pillow), ratio: pillow === null ? null : round(pillow / best!.seconds, 2),
  }));
}

await main();
