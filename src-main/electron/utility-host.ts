/**
 * WorkerHost over Electron's utilityProcess: release builds turn the RunAsNode fuse off, which
 * breaks child_process.fork of the app binary. Workers find the service through
 * process.parentPort (workers/parent-port.ts).
 */
import { utilityProcess, type ForkOptions, type UtilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stopGracefully, type ExitInfo, type WorkerHandle, type WorkerHost, type WorkerKind } from '../workers/host.js';

const TAIL_CHARS = 4000;

/** The part of UtilityProcess we use, so tests hand in a fake. */
export type UtilityChild = Pick<UtilityProcess, 'pid' | 'postMessage' | 'kill' | 'on' | 'stdout' | 'stderr'>;
export type Fork = (modulePath: string, args: string[], options: ForkOptions) => UtilityChild;

export class UtilityWorker implements WorkerHandle {
  private stderr = '';
  private exited = false;
  private readonly exitListeners: ((info: ExitInfo) => void)[] = [];

  constructor(private readonly child: UtilityChild) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-TAIL_CHARS);
      if (process.env.LAYERLAB_DEBUG) process.stderr.write(chunk);
    });
    // A full stdout pipe would block the worker: read it even though nothing there matters.
    child.stdout?.on('data', (chunk: Buffer | string) => { if (process.env.LAYERLAB_DEBUG) process.stdout.write(chunk); });
    // V8 fatal errors (out of memory): keep the reason for describeExit; 'exit' still follows.
    child.on('error', (type, location) => {
      this.stderr = `${this.stderr}\n${type} at ${location}: out of memory or fatal V8 error`.slice(-TAIL_CHARS);
    });
    child.on('exit', (code) => {
      this.exited = true;
      const info: ExitInfo = { code, signal: null, stderrTail: this.stderr };
      for (const l of this.exitListeners) l(info);
    });
  }

  get pid(): number | undefined { return this.child.pid; }

  send(message: unknown): void {
    if (!this.exited) this.child.postMessage(message);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.child.on('message', listener);
  }

  onExit(listener: (info: ExitInfo) => void): void {
    this.exitListeners.push(listener);
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }

  stop(graceMs = 3000): Promise<void> { return stopGracefully(this, this.exited, graceMs); }
}

export class UtilityWorkerHost implements WorkerHost {
  /** `dir` holds trainer.js and importer.js: out/main beside index.js. */
  constructor(private readonly dir: string, private readonly fork: Fork = (path, args, options) => utilityProcess.fork(path, args, options)) {}

  start(kind: WorkerKind, options: { maxOldSpaceMB?: number } = {}): WorkerHandle {
    const entry = join(this.dir, `${kind}.js`);
    if (!existsSync(entry)) throw new Error(`worker entry ${entry} is missing: run npm run build`);
    const execArgv = options.maxOldSpaceMB ? [`--max-old-space-size=${options.maxOldSpaceMB}`] : [];
    const child = this.fork(entry, [], {
      serviceName: `Layerlab ${kind}`,
      stdio: 'pipe',
      execArgv,
      env: { ...process.env },
    });
    return new UtilityWorker(child);
  }
}
