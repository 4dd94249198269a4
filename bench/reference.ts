/**
 * The yardsticks: the scripts in ../shared/reference (beside the project root), run with Debian's
 * /usr/bin/python3, and their output parsed. Each returns null fields with a reason when Python or
 * the script is missing, so a bench still prints our side.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

export const PYTHON = '/usr/bin/python3';
/** The project root: bench/ is one level below it. */
export const ROOT = resolve(import.meta.dirname, '..');
export const REFERENCE_DIR = process.env.LAYERLAB_REFERENCE_DIR ?? resolve(ROOT, '..', 'shared', 'reference');

export function referenceScript(name: string): string {
  return resolve(REFERENCE_DIR, name);
}

export function pythonHas(module: string): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/** Why a reference cannot run here, or null when it can. */
export function referenceMissing(script: string, module: string): string | null {
  if (!existsSync(script)) return `not measured: ${script} is missing (the shared yardsticks live in ../shared/reference)`;
  if (!pythonHas(module)) return `not measured: ${PYTHON} cannot import ${module} (apt-get install -y python3-${module})`;
  return null;
}

function runPython(args: string[]): string {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) {
    const last = (r.stderr || r.stdout || '').trim().split('\n').pop() ?? '';
    throw new Error(`${args.find((a) => a.endsWith('.py')) ?? PYTHON} failed (exit ${r.status ?? r.signal}): ${last}`);
  }
  return r.stdout;
}

export interface TorchThreads {
  /** The script's own answer: samples/s of its best epoch in its best thread setting. */
  best: number;
  /** Best epoch's samples/s per torch thread count tried ("1", "2"). */
  threads: Record<string, number>;
}

/**
 * Runs pytorch_mlp.py unchanged. The script prints only its best; to list each thread setting too,
 * it runs under runpy with its `max` (which folds each epoch's samples/s into the best) replaced
 * by one that also files the value under torch.get_num_threads() at that moment.
 */
const PER_THREAD_WRAPPER = `
import builtins, json, runpy, sys, torch
per = {}
def recording_max(*args):
    key = str(torch.get_num_threads())
    for v in args[1:]:
        per[key] = builtins.max(per.get(key, 0), v)
    return builtins.max(*args)
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, init_globals={"max": recording_max}, run_name="__main__")
print("PER_THREAD " + json.dumps({k: round(v) for k, v in per.items()}))
`;

export function pytorchMlp(batchSize: number, epochs: number): TorchThreads {
  const script = referenceScript('pytorch_mlp.py');
  const out = runPython(['-c', PER_THREAD_WRAPPER, script, String(batchSize), String(epochs)]).trim().split('\n');
  const perLine = out.find((l) => l.startsWith('PER_THREAD '));
  const bestLine = out.filter((l) => /^\d+(\.\d+)?$/.test(l.trim())).pop();
  const best = Number(bestLine);
  if (!Number.isFinite(best)) throw new Error(`${script}: no samples/s in its output: ${out.join(' / ')}`);
  const threads = perLine ? (JSON.parse(perLine.slice('PER_THREAD '.length)) as Record<string, number>) : {};
  return { best, threads };
}

export interface BookTableRow { train: number; trainSd: number; val: number; valSd: number; runs: number[] }
export interface TorchBookTable { seconds: number; processes: number; table: Record<string, BookTableRow>; text: string }

/** pytorch_book_table.py EPOCHS PROCS: the six runs, one single-threaded process per core. */
export function pytorchBookTable(epochs: number, processes: number): TorchBookTable {
  const script = referenceScript('pytorch_book_table.py');
  const text = runPython([script, String(epochs), String(processes)]).trim();
  const seconds = Number(/six runs in ([\d.]+) s/.exec(text)?.[1]);
  if (!Number.isFinite(seconds)) throw new Error(`${script}: no "six runs in … s" line in its output: ${text.split('\n').pop()}`);
  const table: Record<string, BookTableRow> = {};
  for (const m of text.matchAll(/^(\w+)\s+train ([\d.]+) ± ([\d.]+)\s+val ([\d.]+) ± ([\d.]+)\s+runs \[([^\]]*)\]/gmu)) {
    table[m[1]] = { train: Number(m[2]), trainSd: Number(m[3]), val: Number(m[4]), valSd: Number(m[5]), runs: m[6].split(',').map(Number) };
  }
  return { seconds, processes, table, text };
}

/** pandas_read_csv.py FILE: seconds for pandas.read_csv (the script's best of 2). */
export function pandasReadCsv(file: string): number {
  const script = referenceScript('pandas_read_csv.py');
  const out = runPython([script, file]).trim();
  const seconds = Number(out.split('\n').pop());
  if (!Number.isFinite(seconds)) throw new Error(`${script}: no seconds in its output: ${out}`);
  return seconds;
}

/** The load averages now (1, 5, 15 minutes), for the record beside timings on a shared machine. */
export function loadAverage(): number[] {
  // [0, 0, 0] on Windows; fine for the record.
  return loadavg().map((v) => Math.round(v * 100) / 100);
}
