/**
 * Hostile files: how soon, and within how much memory, `layerlab datasets import` refuses each
 * kind of file built to hurt a naive reader (a header claiming 2^31 images, a gzip bomb that
 * inflates to 1 GiB, an .npy header claiming 10^13 values, a CSV header of 10^6 columns, random
 * bytes, /dev/urandom), against the same command importing an honest file in the same run: an
 * IDX folder of the Fashion-MNIST test pair as both splits (20,000 images, 8.8 MB gzipped), read, checked and cached. The target
 * ("refused in seconds, in one line, within bounded memory") is read from the seconds, the exit and
 * line, and the peak; the honest import gives the scale (worstRatio).
 * Each import runs as its own process under /usr/bin/time (wall seconds, peak RSS), so each figure is
 * that process's own. Prints one JSON object:
 *   {rounds, honest: {seconds, peakRssMB}, cases: [{name, seconds, peakRssMB, exit, line}],
 *    worstSeconds, worstPeakRssMB, worstRatio: worstSeconds / honest.seconds}
 *
 *   npx tsx bench/hostile-files.ts [--rounds N]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'layerlab.js');
const SOURCE = '/usr/share/datasets/fashion-mnist';
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Math.max(1, Number(process.argv[roundsAt + 1]) || 1) : 2;

interface Timed { seconds: number; peakRssMB: number; exit: number | null; line: string }

/** One import in its own process under /usr/bin/time: wall seconds and peak RSS from its last stderr line. */
function timedImport(args: string[]): Timed {
  const home = mkdtempSync(join(tmpdir(), 'layerlab-bench-hostile-home-'));
  try {
    const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, CLI, 'datasets', 'import', ...args, '--home', home], { encoding: 'utf8', timeout: 120_000 });
    const lines = r.stderr.trim().split('\n');
    const m = /^TIME ([\d.]+) (\d+)$/.exec(lines.at(-1) ?? '');
    if (!m) throw new Error(`no timing from /usr/bin/time for ${args.join(' ')}: ${r.stderr.slice(-300)}`);
    // /usr/bin/time reports the child's own exit as "Command exited with non-zero status N".
    const exitLine = lines.find((l) => l.startsWith('Command exited with non-zero status'));
    return {
      seconds: Number(m[1]),
      peakRssMB: Math.round(Number(m[2]) / 1024),
      exit: exitLine ? Number(exitLine.split(' ').at(-1)) : r.status === 0 ? 0 : r.status,
      line: lines.filter((l) => !l.startsWith('TIME ') && !l.startsWith('Command exited')).join(' | ').slice(0, 200),
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function buildCases(work: string): Array<[string, string[]]> {
  const idxHead = (dims: number[]) => Buffer.from([0, 0, 8, dims.length, ...dims.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])]);
  // An IDX folder whose images header claims 2^31 images of 28×28 (the file holds one).
  const sizeDir = join(work, 'size-bomb');
  mkdirSync(sizeDir);
  for (const split of ['train', 't10k']) {
    writeFileSync(join(sizeDir, `${split}-images-idx3-ubyte`), Buffer.concat([Buffer.from([0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 28, 0, 0, 0, 28]), Buffer.alloc(784)]));
    writeFileSync(join(sizeDir, `${split}-labels-idx1-ubyte`), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
  }
  const bombDir = join(work, 'gzip-bomb');
  mkdirSync(bombDir);
  const zeros = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
  writeFileSync(join(bombDir, 'train-images-idx3-ubyte.gz'), Buffer.concat([gzipSync(idxHead([10, 28, 28])), ...Array.from({ length: 16 }, () => zeros)]));
  writeFileSync(join(bombDir, 'train-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([idxHead([10]), Buffer.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])])));
  writeFileSync(join(bombDir, 't10k-images-idx3-ubyte.gz'), Buffer.concat([gzipSync(idxHead([10, 28, 28])), ...Array.from({ length: 16 }, () => zeros)]));
  writeFileSync(join(bombDir, 't10k-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([idxHead([10]), Buffer.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1])])));
  const npyHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000000, 100000), }".padEnd(118, ' ') + '\n';
  writeFileSync(join(work, 'huge.npy'), Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, npyHeader.length, 0]), Buffer.from(npyHeader), Buffer.alloc(64)]));
  writeFileSync(join(work, 'labels.npy'), Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, 118, 0]), Buffer.from("{'descr': '|i1', 'fortran_order': False, 'shape': (4,), }".padEnd(117, ' ') + '\n'), Buffer.from([0, 1, 0, 1])]));
  writeFileSync(join(work, 'wide.csv'), `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n`);
  writeFileSync(join(work, 'noise.csv'), Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) % 256)));
  writeFileSync(join(work, 'noise.npz'), Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 104729) % 256)));
  return [
    ['IDX header claiming 2^31 images', [sizeDir]],
    ['gzip bomb (1 GiB of zeros) in an IDX folder', [bombDir]],
    ['.npy header claiming 10^13 values', [join(work, 'huge.npy'), '--labels', join(work, 'labels.npy')]],
    ['CSV header of 10^6 columns', [join(work, 'wide.csv')]],
    ['1 MiB of noise named .csv', [join(work, 'noise.csv')]],
    ['1 MiB of noise named .npz', [join(work, 'noise.npz')]],
    ['/dev/urandom as .npy', ['/dev/urandom', '--format', 'npy', '--labels', '/dev/urandom']],
  ];
}

function main(): void {
  if (!existsSync(CLI) || !existsSync(join(ROOT, 'out', 'node', 'cli.js'))) throw new Error('the CLI is not built: run npm run build');
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing: apt-get install time');
  if (!existsSync(join(SOURCE, 't10k-images-idx3-ubyte.gz'))) throw new Error(`${SOURCE} is missing: apt-get install dataset-fashion-mnist`);
  const work = mkdtempSync(join(tmpdir(), 'layerlab-bench-hostile-'));
  // The honest yardstick: an IDX folder of Fashion-MNIST's test pair, as both splits (20,000 images).
  const honestDir = join(work, 'honest');
  mkdirSync(honestDir);
  for (const kind of ['images-idx3-ubyte.gz', 'labels-idx1-ubyte.gz']) for (const split of ['train', 't10k']) copyFileSync(join(SOURCE, `t10k-${kind}`), join(honestDir, `${split}-${kind}`));
  const honestArgs = [honestDir];
  const loadBefore = loadavg();
  try {
    const cases = buildCases(work);
    let honest: Timed | null = null;
    const best = new Map<string, Timed>();
    // Honest and hostile alternate round by round (same load); each keeps its best round.
    for (let r = 0; r < rounds; r++) {
      const h = timedImport(honestArgs);
      if (h.exit !== 0) throw new Error(`the honest import failed: ${h.line}`);
      if (!honest || h.seconds < honest.seconds) honest = h;
      for (const [name, args] of cases) {
        const t = timedImport(args);
        const prev = best.get(name);
        if (!prev || t.seconds < prev.seconds) best.set(name, t);
        process.stderr.write(`round ${r + 1}: ${name}: ${t.seconds} s, ${t.peakRssMB} MB, exit ${t.exit}\n`);
      }
    }
    const list = cases.map(([name]) => ({ name, ...best.get(name)! }));
    const worstSeconds = Math.max(...list.map((c) => c.seconds));
    process.stdout.write(`${JSON.stringify({
      rounds, loadBefore, loadAfter: loadavg(),
      honest: { what: 'an IDX folder: the Fashion-MNIST test pair as both splits (20,000 images), imported and cached', seconds: honest!.seconds, peakRssMB: honest!.peakRssMB },
      cases: list,
      allRefusedInOneLine: list.every((c) => c.exit === 2 && !c.line.includes(' | ')),
      worstSeconds,
      worstPeakRssMB: Math.max(...list.map((c) => c.peakRssMB)),
      worstRatio: Number((worstSeconds / honest!.seconds).toFixed(2)),
    })}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
