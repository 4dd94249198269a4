/**
 * The trainer the backend asks for, behind the one WorkerHost the queue knows: the GPU rungs
 * (webgpu, webgl) train in a Chromium page (a GpuHost: a headless browser for Node, a hidden
 * window in the desktop app), the others in a Node trainer process. The choice is made when the
 * queue sends the run, so the queue neither knows nor cares where it trains.
 */
import type { ExitInfo, WorkerHandle, WorkerHost, WorkerKind } from './host.js';
import type { TrainerRequest } from './protocol.js';
import { PAGE_BACKENDS, type PageBackend } from '../shared/gpu-page.js';

/** Starts a GPU page trainer for one run. */
export interface GpuHost {
  start(backend: PageBackend, options: { skipped?: { name: string; reason: string }[]; probeSteps?: number }): WorkerHandle;
}

const isPageBackend = (b: string): b is PageBackend => (PAGE_BACKENDS as readonly string[]).includes(b);

/** A handle that becomes a Node trainer or a GPU page trainer at its first message. */
class RoutedTrainer implements WorkerHandle {
  private inner: WorkerHandle | null = null;
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly exitListeners: ((info: ExitInfo) => void)[] = [];

  constructor(private readonly choose: (request: TrainerRequest) => WorkerHandle) {}

  get pid(): number | undefined { return this.inner?.pid; }

  send(message: unknown): void {
    if (!this.inner) {
      const request = message as TrainerRequest;
      if (request?.type === 'stop') {
        for (const l of this.exitListeners) l({ code: 0, signal: null, stderrTail: '' });
        return;
      }
      this.inner = this.choose(request);
      for (const l of this.messageListeners) this.inner.onMessage(l);
      for (const l of this.exitListeners) this.inner.onExit(l);
    }
    this.inner.send(message);
  }

  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
    this.inner?.onMessage(listener);
  }

  onExit(listener: (info: ExitInfo) => void): void {
    this.exitListeners.push(listener);
    this.inner?.onExit(listener);
  }

  stop(graceMs?: number): Promise<void> {
    return this.inner ? this.inner.stop(graceMs) : Promise.resolve();
  }

  kill(): void { this.inner?.kill(); }
}

export class LadderHost implements WorkerHost {
  constructor(private readonly node: WorkerHost, private readonly gpu: GpuHost) {}

  start(kind: WorkerKind, options: { maxOldSpaceMB?: number } = {}): WorkerHandle {
    if (kind !== 'trainer') return this.node.start(kind, options);
    return new RoutedTrainer((request) => {
      if (request.type === 'train' && isPageBackend(request.backend)) return this.gpu.start(request.backend, {});
      // Saved models are scored by the Node trainer whatever rung trained them.
      if (request.type === 'evaluate' && isPageBackend(request.backend)) request.backend = 'auto';
      return this.node.start(kind, options);
    });
  }
}
