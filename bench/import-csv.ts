/**
 * CSV import speed against pandas.read_csv on Fashion-MNIST written as a Kaggle-style CSV
 * (label,pixel1..pixel784; 60,000 rows, ~130 MB). Our import (parse + cache write) runs in a child
 * process so its peak RSS is its own. Prints one JSON object:
 * {bytes, oursSeconds, oursMBps, oursPeakRssMB, pandasSeconds, ratio: pandasSeconds / oursSeconds, …}.
 *
 *   npx tsx bench/import-csv.ts [--rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readIdxPair } from '../src-main/data/formats/idx.js';
import { parseCsvFile } from '../src-main/data/formats/csv.js';
import { writeDatasetCache } from '../src-main/data/cache/index.js';
import { loadAverage, pandasReadCsv, referenceMissing, referenceScript } from './reference.js';

const SOURCE = '/usr/share/datasets/fashion-mnist';
/** The import's peak resident memory must stay under this (issue 14's target). */
const PEAK_LIMIT_MB = 1024;

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

/** One import in a child process, so its peak RSS is its own. */
function importOnce(self: string, file: string): ChildFigures {
  const home = mkdtempSync(join(tmpdir(), 'layerlab-bench-home-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', file, home], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (run.status !== 0) throw new Error(`import child failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as ChildFigures;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

interface ChildFigures { seconds: number; parseSeconds: number; writeSeconds: number; maxRssMB: number }

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4]);
  const { values } = parseArgs({ args: process.argv.slice(2), options: { rounds: { type: 'string', default: '3' } } });
  const rounds = Number(values.rounds);
  const file = ensureCsv();
  const bytes = statSync(file).size;
  const self = fileURLToPath(import.meta.url);
  const missing = referenceMissing(referenceScript('pandas_read_csv.py'), 'pandas');
  const loadBefore = loadAverage();
  // Rounds alternate ours (one import) and pandas (its script's best of 2); each side's best counts.
  // The first import also warms the page cache for both.
  const perRound: Array<{ ours: number; pandas: number | null }> = [];
  let best: ChildFigures | null = null;
  let peak = 0;
  for (let i = 0; i < rounds; i++) {
    const r = importOnce(self, file);
    peak = Math.max(peak, r.maxRssMB);
    if (!best || r.seconds < best.seconds) best = r;
    perRound.push({ ours: round(r.seconds), pandas: missing ? null : pandasReadCsv(file) });
  }
  const pandas = missing ? null : Math.min(...perRound.map((r) => r.pandas!));
  const ours = best!.seconds;
  console.log(JSON.stringify({
    bytes, rounds, loadBefore, loadAfter: loadAverage(),
    oursSeconds: round(ours),
    oursParseSeconds: round(best!.parseSeconds),
    oursWriteSeconds: round(best!.writeSeconds),
    oursMBps: round(bytes / 1e6 / ours, 1),
    oursPeakRssMB: round(peak, 1),
    peakUnderLimit: peak < PEAK_LIMIT_MB,
    pandasSeconds: pandas,
    /** pandas seconds / ours: ≥ 1 means our parse + cache finished sooner than pandas merely reading. */
    ratio: pandas === null ? null : round(pandas / ours, 2),
    perRound,
    ...(missing ? { pandas: missing } : {}),
  }));
}

function round(v: number, d = 3): number {
  return Number(v.toFixed(d));
}

await main();
