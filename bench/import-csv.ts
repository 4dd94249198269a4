/**
 * CSV import speed against pandas.read_csv on Fashion-MNIST written as a Kaggle-style CSV
 * (label,pixel1..pixel784; 60,000 rows, ~130 MB). Our import (parse + cache write) runs in a child
 * process so its peak RSS is its own. Prints one JSON object:
 * {bytes, oursSeconds, oursMBps, oursPeakRssMB, pandasSeconds, ratio: pandasSeconds / oursSeconds}.
 *
 *   npx tsx bench/import-csv.ts
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readIdxPair } from '../src-main/data/formats/idx.js';
import { parseCsvFile } from '../src-main/data/formats/csv.js';
import { writeDatasetCache } from '../src-main/data/cache/index.js';

const SOURCE = '/usr/share/datasets/fashion-mnist';
const PANDAS_SCRIPT = '/work/shared/reference/pandas_read_csv.py';
const PYTHON = '/usr/bin/python3';

/** Writes the CSV once; later runs reuse it. */
function ensureCsv(): string {
  const dir = join(tmpdir(), 'layerlab-bench');
  const file = join(dir, 'fashion-mnist-train.csv');
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const { x, y, count, featureShape } = readIdxPair(join(SOURCE, 'train-images-idx3-ubyte.gz'), join(SOURCE, 'train-labels-idx1-ubyte.gz'));
  const size = featureShape.reduce((a, b) => a * b, 1);
  const tmp = `${file}.part`;
  const fd = openSync(tmp, 'w');
  const header = ['label', ...Array.from({ length: size }, (_, i) => `pixel${i + 1}`)].join(',');
  writeSync(fd, `${header}\n`);
  const rowsPerWrite = 1000;
  for (let r = 0; r < count; r += rowsPerWrite) {
    const lines: string[] = [];
    for (let i = r; i < Math.min(count, r + rowsPerWrite); i++) {
      lines.push(`${y[i]},${Array.from(x.subarray(i * size, (i + 1) * size)).join(',')}`);
    }
    writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
  renameSync(tmp, file);
  return file;
}

/** Child: one import, timed from the first byte read to the cache folder renamed into place. */
async function child(file: string, home: string): Promise<void> {
  const t0 = performance.now();
  const parsed = parseCsvFile(file);
  const t1 = performance.now();
  await writeDatasetCache(home, parsed, { name: 'fashion-mnist-csv', sourcePath: file, format: 'csv' });
  const t2 = performance.now();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds: (t2 - t0) / 1000, parseSeconds: (t1 - t0) / 1000, writeSeconds: (t2 - t1) / 1000, maxRssMB, rows: parsed.train.count, dtype: parsed.train.x.constructor.name }));
}

function pandasSeconds(file: string): number | null {
  const probe = spawnSync(PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' });
  if (probe.status !== 0 || !existsSync(PANDAS_SCRIPT)) return null;
  const run = spawnSync(PYTHON, [PANDAS_SCRIPT, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const seconds = Number(run.stdout.trim());
  return run.status === 0 && Number.isFinite(seconds) ? seconds : null;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4]);
  const file = ensureCsv();
  const bytes = statSync(file).size;
  const self = fileURLToPath(import.meta.url);
  // Best of 3 (pandas' script is best of 2): the first run also warms the page cache.
  let best: { seconds: number; parseSeconds: number; writeSeconds: number; maxRssMB: number } | null = null;
  let peak = 0;
  for (let i = 0; i < 3; i++) {
    const home = mkdtempSync(join(tmpdir(), 'layerlab-bench-home-'));
    try {
      const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', file, home], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (run.status !== 0) throw new Error(`import child failed: ${run.stderr}`);
      const r = JSON.parse(run.stdout) as { seconds: number; parseSeconds: number; writeSeconds: number; maxRssMB: number };
      peak = Math.max(peak, r.maxRssMB);
      if (!best || r.seconds < best.seconds) best = r;
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  const pandas = pandasSeconds(file);
  const ours = best!.seconds;
  const round = (v: number, d = 3) => Number(v.toFixed(d));
  console.log(JSON.stringify({
    bytes,
    oursSeconds: round(ours),
    oursParseSeconds: round(best!.parseSeconds),
    oursWriteSeconds: round(best!.writeSeconds),
    oursMBps: round(bytes / 1e6 / ours, 1),
    oursPeakRssMB: round(peak, 1),
    pandasSeconds: pandas,
    ratio: pandas === null ? null : round(pandas / ours, 2),
  }));
}

await main();
