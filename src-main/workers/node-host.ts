/** WorkerHost over child_process.fork, for Node (CLI, browser mode, tests). */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trace } from './trace.js';
import { stopGracefully, type ExitInfo, type WorkerHandle, type WorkerHost, type WorkerKind } from './host.js';

/**
 * The entry of a worker: `<kind>.js` beside the running bundle (out/node/), or, when running from
 * source under vitest/tsx, the TypeScript entry run through tsx.
 */
export function workerEntry(kind: WorkerKind, dir = dirname(fileURLToPath(import.meta.url))): { file: string; execArgv: string[] } {
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

export class NodeWorkerHost implements WorkerHost {
  constructor(private readonly dir?: string) {}
  start(kind: WorkerKind, options: { maxOldSpaceMB?: number } = {}): WorkerHandle {
    const entry = workerEntry(kind, this.dir);
    const execArgv = [...entry.execArgv];
    if (options.maxOldSpaceMB) execArgv.push(`--max-old-space-size=${options.maxOldSpaceMB}`);
    trace(`node host: fork ${kind}`);
    const child = fork(entry.file, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env },
    });
    return new ChildWorker(child);
  }
}
