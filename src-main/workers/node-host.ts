/** WorkerHost over child_process.fork, for Node (CLI, browser mode, tests). */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trace } from './trace.js';
import { tensorflowBindingPresent } from '../engine/tensorflow-binding.js';
import { stopGracefully, type ExitInfo, type WorkerHandle, type WorkerHost, type WorkerKind } from './host.js';

/**
 * The entry of a worker: `<kind>.js` beside the running bundle (out/node/) (for a trainer where
 * @tensorflow/tfjs-node-gpu is installed, trainer-full.js), or, when running from source under
 * vitest/tsx, the TypeScript entry run through tsx.
 */
export function workerEntry(kind: WorkerKind, dir = dirname(fileURLToPath(import.meta.url))): { file: string; execArgv: string[] } {
  // The trainer bundles a lean TensorFlow.js (vite.trainer.config.ts); tfjs-node-gpu needs the full package beside it.
  const full = join(dir, 'trainer-full.js');
  if (kind === 'trainer' && existsSync(full) && tensorflowBindingPresent()) return { file: full, execArgv: [] };
  const built = join(dir, `${kind}.js`);
  if (existsSync(built)) return { file: built, execArgv: [] };
  const source = join(dir, `${kind}-entry.ts`);
  if (existsSync(source)) return { file: source, execArgv: ['--import', 'tsx'] };
  throw new Error(`worker entry for ${kind} not found in ${dir}: run npm run build`);
}

class ChildWorker implements WorkerHandle {
  private stderr = '';
  private exited = false;
  private exitListeners: ((info: ExitInfo) => void)[] = [];
  constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
      if (process.env.LAYERLAB_DEBUG) process.stderr.write(chunk);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      const info = { code, signal, stderrTail: this.stderr };
      for (const l of this.exitListeners) l(info);
    });
    // A worker that died mid-send must not crash the service.
    child.on('error', () => undefined);
  }
  get pid(): number | undefined { return this.child.pid; }
  send(message: unknown): void {
    if (!this.exited && this.child.connected) this.child.send(message as object);
  }
  onMessage(listener: (message: unknown) => void): void { this.child.on('message', listener); }
  onExit(listener: (info: ExitInfo) => void): void { this.exitListeners.push(listener); }
  kill(): void { if (!this.exited) this.child.kill('SIGKILL'); }
  stop(graceMs = 3000): Promise<void> { return stopGracefully(this, this.exited, graceMs); }
}

function forkWorker(file: string, execArgv: string[]): ChildProcess {
  return fork(file, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env },
  });
}

/** Handles that keep or release the event loop of this process: a child, its channel, its stderr pipe. */
type Refable = { ref?(): void; unref?(): void } | null | undefined;
const refs = (child: ChildProcess): Refable[] => [child, child.channel as Refable, child.stderr as Refable];

/**
 * A trainer forked ahead of need: the CLI's `train` starts one before it loads its own modules, so
 * the trainer's start (Node, TensorFlow.js, the backend) runs beside the CLI's instead of after
 * it; the first NodeWorkerHost.start('trainer') with the same entry takes it. Until then it holds
 * nothing open: a command that never trains exits as before, and the trainer with it (it exits
 * when its channel closes). One not taken within SPARE_TTL_MS (the run went to a Redis queue, or
 * a long import came first) is ended, so it does not sit in memory for nothing; a later run forks
 * its own.
 */
let spare: { file: string; child: ChildProcess } | null = null;
const SPARE_TTL_MS = 20_000;

export function prestartTrainer(dir?: string): void {
  if (spare) return;
  const entry = workerEntry('trainer', dir);
  const child = forkWorker(entry.file, entry.execArgv);
  trace(`node host: prestart trainer (pid ${child.pid})`);
  child.on('error', () => undefined);
  for (const r of refs(child)) r?.unref?.();
  spare = { file: entry.file, child };
  setTimeout(() => {
    if (spare?.child !== child) return;
    spare = null;
    child.kill();
  }, SPARE_TTL_MS).unref();
}

function takeSpare(file: string): ChildProcess | null {
  const s = spare;
  if (!s || s.file !== file) return null;
  spare = null;
  if (s.child.exitCode !== null || s.child.signalCode !== null || !s.child.connected) return null;
  for (const r of refs(s.child)) r?.ref?.();
  return s.child;
}

export class NodeWorkerHost implements WorkerHost {
  constructor(private readonly dir?: string) {}
  start(kind: WorkerKind, options: { maxOldSpaceMB?: number } = {}): WorkerHandle {
    const entry = workerEntry(kind, this.dir);
    const ready = kind === 'trainer' && !options.maxOldSpaceMB ? takeSpare(entry.file) : null;
    if (ready) {
      trace('node host: took the prestarted trainer');
      return new ChildWorker(ready);
    }
    const execArgv = [...entry.execArgv];
    if (options.maxOldSpaceMB) execArgv.push(`--max-old-space-size=${options.maxOldSpaceMB}`);
    trace(`node host: fork ${kind}`);
    return new ChildWorker(forkWorker(entry.file, execArgv));
  }
}
