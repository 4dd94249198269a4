/**
 * Start-up tracing for the time-to-first-line bench (bench/first-line.ts): with LAYERLAB_TRACE set
 * to a file, each process (the CLI, its trainer, the GPU page's host) appends one line per mark,
 * `<epoch ms> <pid> <label>`, the first one being its own start (performance.timeOrigin). Without
 * the variable a mark costs one property read. Node-only modules call it; it imports nothing.
 */
import { appendFileSync } from 'node:fs';

const file = typeof process !== 'undefined' ? process.env.LAYERLAB_TRACE : undefined;
let started = false;

export function trace(label: string): void {
  if (!file) return;
  try {
    if (!started) {
      started = true;
      appendFileSync(file, `${performance.timeOrigin.toFixed(1)} ${process.pid} process start (${process.argv[1]?.split(/[\\/]/).pop() ?? 'node'})\n`);
    }
    appendFileSync(file, `${(performance.timeOrigin + performance.now()).toFixed(1)} ${process.pid} ${label}\n`);
  } catch {
    // A trace that cannot be written is no reason to fail a run.
  }
}
