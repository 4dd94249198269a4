/**
 * One small interface over worker processes, so the service does not care whether they are
 * child_process.fork children (Node: CLI, browser mode, tests) or Electron utilityProcess children
 * (the desktop app, where the RunAsNode fuse is off and fork cannot run node).
 */
export type WorkerKind = 'trainer' | 'importer';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** The last lines the worker wrote to stderr, for a crash report. */
  stderrTail: string;
  /**
   * Set when the worker's end interrupts the run rather than failing it (the browser a GPU run
   * trained in was closed or crashed): why, for the run's record.
   */
  interrupted?: string;
  /**
   * The run never started there and goes back to the run queue, to start again where runs go now
   * (a Redis queue the user replaced took it back before any worker took it).
   */
  requeue?: true;
}

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (info: ExitInfo) => void): void;
  /** Ask (a `stop` message), wait up to graceMs, then kill. Resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Kill at once. */
  kill(): void;
}

export interface WorkerHost {
  start(kind: WorkerKind, options?: { maxOldSpaceMB?: number }): WorkerHandle;
  /**
   * True when trainers run on other machines (a Redis queue's workers): the run queue then sends
   * every run at once, neither counting this machine's cores nor its free memory.
   */
  readonly remote?: boolean;
  /** Lets go of connections when the service closes. */
  close?(): Promise<void>;
}

/** Describes how a worker ended, for a run's error field. */
export function describeExit(kind: WorkerKind, info: ExitInfo): string {
  const oom = /heap out of memory|Allocation failed|out of memory|OOM/i.test(info.stderrTail);
  const how = info.signal ? `was killed (${info.signal})` : `exited with code ${info.code}`;
  const why = oom ? ': it ran out of memory; try a smaller batch size, model or dataset' : '';
  const tail = !oom && info.stderrTail ? ` (${info.stderrTail.trim().split('\n').slice(-1)[0].slice(0, 300)})` : '';
  return `the ${kind} process ${how}${why}${tail}`;
}

/**
 * WorkerHandle.stop for every host: ask (a `stop` message), wait up to graceMs for the worker to
 * finish its epoch, then kill; resolves when it has exited.
 */
export function stopGracefully(w: Pick<WorkerHandle, 'send' | 'kill' | 'onExit'>, exited: boolean, graceMs: number): Promise<void> {
  if (exited) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => w.kill(), graceMs);
    w.onExit(() => { clearTimeout(timer); resolve(); });
    w.send({ type: 'stop' });
  });
}

/** A handle whose process is chosen later; listeners given before are passed on. */
export abstract class DeferredHandle implements WorkerHandle {
  protected inner: WorkerHandle | null = null;
  protected readonly messageListeners: ((m: unknown) => void)[] = [];
  protected readonly exitListeners: ((info: ExitInfo) => void)[] = [];
  protected ended = false;

  get pid(): number | undefined { return this.inner?.pid; }

  abstract send(message: unknown): void;

  protected attach(inner: WorkerHandle, wrap: (m: unknown) => unknown = (m) => m): void {
    this.inner = inner;
    inner.onMessage((m) => { for (const l of this.messageListeners) l(wrap(m)); });
    inner.onExit((info) => this.end(info));
  }

  protected end(info: ExitInfo): void {
    if (this.ended) return;
    this.ended = true;
    for (const l of this.exitListeners) l(info);
  }

  onMessage(listener: (message: unknown) => void): void { this.messageListeners.push(listener); }
  onExit(listener: (info: ExitInfo) => void): void { this.exitListeners.push(listener); }

  stop(graceMs?: number): Promise<void> {
    if (this.inner) return this.inner.stop(graceMs);
    this.end({ code: 0, signal: null, stderrTail: '' });
    return Promise.resolve();
  }

  kill(): void {
    if (this.inner) this.inner.kill();
    else this.end({ code: null, signal: 'SIGKILL', stderrTail: '' });
  }
}
