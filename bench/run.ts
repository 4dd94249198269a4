/**
 * `npm run bench`: every benchmark, one after another (they would disturb each other's timings on a
 * 2-core machine), each in its own process; prints one JSON document on stdout:
 *
 *   {"date": "...", "node": "v20...", "cpus": 2, "cpuModel": "...",
 *    "benches": {"train-speed": {...}, "book-table": {...}, "import-csv": {...}, "cnn-speed": {...}, ...},
 *    "failed": {"name": "one-line reason", ...}}
 *
 *   npm run bench                        # all of them
 *   npm run bench -- train-speed import-csv   # some of them
 *   npm run bench -- --backend webgpu         # the GPU rung (webgpu or webgl) beside native and wasm
 *   npm run bench -- book-cnn                 # the book's CNN in full (named only: ~30 min)
 *   npm run bench -- --list                   # their names
 *
 * Progress goes to stderr. Each bench's own figures are described in bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const BENCHES: Record<string, string[]> = {
  'train-speed': ['train-speed.ts', '--rounds', '3'],
  'book-table': ['book-table.ts', '--rounds', '2'],
  'import-csv': ['import-csv.ts', '--rounds', '3'],
  'cnn-speed': ['cnn-speed.ts', '--rounds', '3'],
  'import-images': ['import-images.ts'],
  'ui-latency': ['ui-latency.ts'],
  'layer-stats': ['layer-stats.ts'],
  'redis-workers': ['redis-workers.ts'],
  'first-line': ['first-line.ts', '--rounds', '3'],
  'hostile-files': ['hostile-files.ts', '--rounds', '2'],
};
/** Run only when named: the book's full CNN takes about 30 minutes on 2 cores. */
const NAMED_ONLY: Record<string, string[]> = {
  'book-cnn': ['book-cnn.ts'],
};

if (process.argv.includes('--list')) {
  process.stdout.write(`${[...Object.keys(BENCHES), ...Object.keys(NAMED_ONLY).map((n) => `${n} (only when named)`)].join('\n')}\n`);
  process.exit(0);
}
const argv = process.argv.slice(2);
const backendAt = argv.indexOf('--backend');
const gpuBackend = backendAt >= 0 ? argv[backendAt + 1] : undefined;
if (gpuBackend !== undefined) BENCHES['gpu-speed'] = ['gpu-speed.ts', '--backend', gpuBackend];
const wanted = argv.filter((a, i) => !a.startsWith('-') && (backendAt < 0 || i !== backendAt + 1));
for (const name of wanted) if (name in NAMED_ONLY) BENCHES[name] = NAMED_ONLY[name];
for (const name of wanted) {
  if (!(name in BENCHES)) {
    process.stderr.write(`layerlab bench: no benchmark called "${name}"; choose from ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(2);
  }
}
// --backend NAME alone: only the GPU bench.
const names = wanted.length > 0 ? wanted : gpuBackend !== undefined ? ['gpu-speed'] : Object.keys(BENCHES);

/** The last line of stdout that parses as a JSON object: benches may log before it. */
function lastJson(stdout: string): unknown {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as unknown;
    } catch {
      // not the result line
    }
  }
  return undefined;
}

const benches: Record<string, unknown> = {};
const failed: Record<string, string> = {};
const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
for (const name of names) {
  const [script, ...args] = BENCHES[name];
  process.stderr.write(`bench ${name}…\n`);
  const t0 = performance.now();
  const run = spawnSync(tsx, [join(import.meta.dirname, script), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] });
  const seconds = (performance.now() - t0) / 1000;
  const result = lastJson(run.stdout ?? '');
  if (run.status === 0 && result !== undefined) {
    benches[name] = result;
    process.stderr.write(`bench ${name}: done in ${seconds.toFixed(0)} s\n`);
  } else {
    failed[name] = `exit ${run.status ?? run.signal}${result === undefined ? ', no JSON result' : ''}`;
    process.stderr.write(`bench ${name}: failed (${failed[name]})\n`);
  }
}

process.stdout.write(`${JSON.stringify({
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? null,
  /** Load averages (1, 5, 15 min) at the end: other work on the machine skews absolute figures, less so ratios. */
  load: loadavg().map((v) => Math.round(v * 100) / 100),
  benches,
  failed,
}, null, 1)}\n`);
process.exit(Object.keys(failed).length > 0 ? 1 : 0);
