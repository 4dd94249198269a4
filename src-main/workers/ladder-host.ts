/**
 * The trainer the backend asks for, behind the one WorkerHost the queue knows: the GPU rungs
 * (webgpu, webgl) train in a Chromium page (a GpuHost: a headless browser for Node, a hidden
 * window in the desktop app), the others in a Node trainer process. The choice is made when the
 * queue sends the run, so the queue neither knows nor cares where it trains.
 *
 * `auto` measures rather than assumes: before the run it times a few training steps of this very
 * model on the Node ladder's rung (native or wasm) and on each GPU rung the page can start, then
 * trains on the fastest. The figures and the reason go with the run's start message.
 */
import { DeferredHandle, type WorkerHandle, type WorkerHost, type WorkerKind } from './host.js';
import type { TrainerMessage, TrainerRequest } from './protocol.js';
import { isSoftwareDevice, PAGE_BACKENDS, type PageBackend } from '../shared/gpu-page.js';
import type { ProbeFigure } from '../shared/runs.js';
import type { ModelSpec } from '../shared/spec.js';
import { trace } from './trace.js';
import { messageText, type Message } from '../shared/messages.js';
import { dropProbeCache, machineIdentity, probeKey, readProbeCache, writeProbeCache } from './probe-cache.js';

export interface GpuStartOptions {
  /** Rungs passed over before this one, and why (shown in the start line). */
  skipped?: { name: string; reason: string }[];
  /** Time up to `steps` steps on each backend and report a probe for each instead of training. */
  probe?: { steps: number; backends: PageBackend[] };
  /** The auto probe's figures and why this rung won, for the start message. */
  chosen?: Chosen;
}

/** What `auto` tells the start message: the figures, why the winner won, when they were measured. */
export interface Chosen { probe: ProbeFigure[]; why: string; measuredAt: string; cached?: true }

/** Starts a GPU page trainer for one run. */
export interface GpuHost {
  start(backend: PageBackend, options: GpuStartOptions): WorkerHandle;
  /** Why no GPU page can start here (no browser found), as a coded message, or null. */
  unavailableReason(): Message | null;
  /**
   * Why `auto` should pass the GPU rungs over without starting the page to time them (no GPU
   * device: only a software adapter would answer), or null. A forced GPU rung still starts.
   */
  autoSkipReason?(): Message | null;
  /**
   * What the GPU rungs' speed depends on besides the model, for the probe cache's key: the page's
   * build, the browser (its executable's size and time, or Electron's version), the adapter asked
   * for, the GPUs the OS lists.
   */
  identity(): string;
}

/** Training steps each rung is timed for (after one warm-up step), at most. */
export const PROBE_STEPS = 8;

const isPageBackend = (b: string): b is PageBackend => (PAGE_BACKENDS as readonly string[]).includes(b);

type TrainRequest = Extract<TrainerRequest, { type: 'train' }>;

/** A handle that becomes a Node trainer or a GPU page trainer at its first message. */
class RoutedTrainer extends DeferredHandle {
  constructor(private readonly choose: (request: TrainerRequest) => WorkerHandle) { super(); }

  send(message: unknown): void {
    if (this.ended) return;
    if (!this.inner) {
      const request = message as TrainerRequest;
      if (request?.type === 'stop') { this.end({ code: 0, signal: null, stderrTail: '' }); return; }
      this.attach(this.choose(request));
    }
    this.inner!.send(message);
  }
}

/** `auto`: probes each usable rung with this run's model, then trains on the fastest. */
class ProbingTrainer extends DeferredHandle {
  private probing: WorkerHandle | null = null;
  private stopped = false;

  constructor(private readonly node: () => WorkerHandle, private readonly gpu: GpuHost, private readonly probes: ProbeLock) { super(); }

  send(message: unknown): void {
    const m = message as TrainerRequest;
    if (this.inner) { this.inner.send(message); return; }
    if (m?.type === 'stop') {
      this.stopped = true;
      this.probing?.kill();
      this.end({ code: 0, signal: null, stderrTail: '' });
    } else if (m?.type === 'train') {
      void this.choose(m).catch((err) => this.failWith(m.runId, (err as Error).message));
    }
  }

  override kill(): void {
    this.stopped = true;
    this.probing?.kill();
    super.kill();
  }

  private failWith(runId: string, message: string): void {
    for (const l of this.messageListeners) l({ type: 'error', runId, error: { name: 'Error', message } } satisfies TrainerMessage);
    this.end({ code: 1, signal: null, stderrTail: '' });
  }

  /** Runs one probe handle to its end and collects its probe messages. */
  private collect(handle: WorkerHandle, request: TrainerRequest): Promise<{ figures: ProbeFigure[]; error?: string }> {
    this.probing = handle;
    const figures: ProbeFigure[] = [];
    let error: string | undefined;
    return new Promise((resolve) => {
      handle.onMessage((raw) => {
        const m = raw as TrainerMessage;
        if (m.type === 'probe') figures.push({ backend: m.backend, samplesPerSecond: m.samplesPerSecond, ...(m.device ? { device: m.device } : {}), ...(m.reason ? { reason: m.reason } : {}) });
        else if (m.type === 'error') error = m.error.message;
      });
      handle.onExit(() => { this.probing = null; resolve({ figures, error }); });
      handle.send(request);
    });
  }

  /** Times this model on the Node ladder's rung, then on each GPU rung in one page. */
  private async measure(req: TrainRequest): Promise<ProbeFigure[]> {
    const figures: ProbeFigure[] = [];
    const probeRequest = { type: 'probe' as const, runId: req.runId, spec: req.spec, dataset: req.dataset, home: req.home, limit: req.limit, backend: 'auto' as const, path: req.path, steps: PROBE_STEPS };
    const cpu = await this.collect(this.node(), probeRequest);
    trace('ladder: CPU rung probed');
    if (this.stopped) return figures;
    figures.push(...(cpu.figures.length ? cpu.figures : [{ backend: 'cpu', samplesPerSecond: null, reason: cpu.error ?? 'the probe ended without a figure' }]));
    const gpu = await this.collect(this.gpu.start('webgpu', { probe: { steps: PROBE_STEPS, backends: [...PAGE_BACKENDS] } }), { ...req, modelDir: undefined });
    if (this.stopped) return figures;
    for (const b of PAGE_BACKENDS) {
      figures.push(gpu.figures.find((f) => f.backend === b) ?? { backend: b, samplesPerSecond: null, reason: gpu.error ?? 'the GPU page ended before it measured this rung' });
    }
    return figures;
  }

  private async choose(req: TrainRequest): Promise<void> {
    const unavailable = this.gpu.unavailableReason();
    const passOver = unavailable ? null : this.gpu.autoSkipReason?.() ?? null;
    const skip = unavailable ?? passOver;
    trace(`ladder: GPU page ${skip ? 'unavailable' : 'available'}`);
    if (skip) {
      // One candidate (the Node ladder): nothing to measure; the GPU rungs say why they sat out.
      const skipped = PAGE_BACKENDS.map((name) => ({ name, reason: messageText(skip), coded: skip }));
      this.attach(this.node(), (raw) => {
        const m = raw as TrainerMessage;
        return m.type === 'started' ? { ...m, skipped: [...skipped, ...m.skipped] } : m;
      });
      this.inner!.send(req);
      return;
    }
    // One probe at a time in this process: a second run of the same model waits for the first's
    // figures (then finds them cached) instead of measuring beside it on the same cores.
    const release = await this.probes.acquire();
    let measured: { figures: ProbeFigure[]; measuredAt: string; cached: boolean };
    const { key, machine } = probeCacheKey(req.spec, req.path, this.gpu);
    try {
      if (this.stopped) return;
      const hit = req.reprobe ? null : readProbeCache(req.home, key);
      trace(`ladder: probe cache ${hit ? 'hit' : 'miss'}`);
      if (hit) measured = { figures: hit.figures, measuredAt: hit.measuredAt, cached: true };
      else {
        const measuredAt = new Date().toISOString();
        const figures = await this.measure(req);
        trace('ladder: probe measured');
        if (this.stopped) return;
        measured = { figures, measuredAt, cached: false };
        if (pickFastest(figures)) writeProbeCache(req.home, { key, measuredAt, figures, machine });
      }
    } finally {
      release();
    }
    const { figures } = measured;
    const winner = pickFastest(figures);
    if (!winner) {
      // Nothing measured (the CPU probe failed too): the Node ladder says why when it trains.
      this.attach(this.node(), (m) => m);
      this.inner!.send(req);
      return;
    }
    const why = explain(winner, figures);
    const skipped = figures.filter((f) => f !== winner && f.samplesPerSecond === null).map((f) => ({ name: f.backend, reason: f.reason ?? 'no figure' }));
    const chosen: Chosen = { probe: figures, why, measuredAt: measured.measuredAt, ...(measured.cached ? { cached: true as const } : {}) };
    if (isPageBackend(winner.backend)) {
      let started = false;
      this.attach(this.gpu.start(winner.backend, { skipped, chosen }), (raw) => {
        const m = raw as TrainerMessage;
        // Cached figures for another adapter, or a rung that no longer starts: measure next time.
        if (m.type === 'started') {
          started = true;
          if (measured.cached && winner.device !== undefined && m.device !== winner.device) dropProbeCache(req.home, key);
        } else if (m.type === 'error' && !started && measured.cached) dropProbeCache(req.home, key);
        return m;
      });
      this.inner!.send({ ...req, backend: winner.backend });
    } else {
      // The Node trainer picks the same rung again (its ladder is deterministic); the start
      // message carries the probe.
      this.attach(this.node(), (raw) => {
        const m = raw as TrainerMessage;
        return m.type === 'started' ? { ...m, skipped: [...m.skipped, ...skipped], ...chosen } : m;
      });
      this.inner!.send(req);
    }
  }
}

/** The rung with the highest measured samples per second; ties keep ladder order (CPU first). */
export function pickFastest(figures: ProbeFigure[]): ProbeFigure | null {
  let best: ProbeFigure | null = null;
  for (const f of figures) if (f.samplesPerSecond !== null && (best === null || f.samplesPerSecond > best.samplesPerSecond!)) best = f;
  return best;
}

/** "native 5400 samples/s; webgpu 210 samples/s (software adapter); webgl: no adapter" */
export function explain(winner: ProbeFigure, figures: ProbeFigure[]): string {
  const parts = figures.map((f) => f.samplesPerSecond !== null
    ? `${f.backend} ${Math.round(f.samplesPerSecond)} samples/s${isSoftwareDevice(f.device) ? ' (software adapter)' : ''}`
    : `${f.backend}: ${f.reason ?? 'not measured'}`);
  return `fastest for this model in a ${PROBE_STEPS}-step probe: ${winner.backend} (${parts.join('; ')})`;
}

/** The probe cache's "app" part of the key (the GPU page's build is in GpuHost.identity). */
const APP_ID = 'layerlab 0.1.0';

/** The probe cache's key for a model on this machine, and what it was made of. */
export function probeCacheKey(spec: ModelSpec, path: 'fast' | 'stock', gpu: GpuHost): { key: string; machine: Record<string, string> } {
  const machine = machineIdentity(APP_ID, gpu.identity());
  return { key: probeKey(spec, path, machine), machine };
}

/** Lets one `auto` probe run at a time. */
export class ProbeLock {
  private tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((r) => { release = r; });
    const before = this.tail;
    this.tail = before.then(() => mine);
    return before.then(() => release);
  }
}

export class LadderHost implements WorkerHost {
  private readonly probes = new ProbeLock();
  constructor(private readonly node: WorkerHost, private readonly gpu: GpuHost) {}

  start(kind: WorkerKind, options: { maxOldSpaceMB?: number } = {}): WorkerHandle {
    if (kind !== 'trainer') return this.node.start(kind, options);
    const node = () => this.node.start(kind, options);
    // The first message decides: auto probes, a GPU rung goes to a page, the rest to Node.
    return new RoutedTrainer((request) => {
      if (request.type === 'train' && request.backend === 'auto') return new ProbingTrainer(node, this.gpu, this.probes);
      if (request.type === 'train' && isPageBackend(request.backend)) return this.gpu.start(request.backend, {});
      // Saved models are scored by the Node trainer whatever rung trained them.
      if (request.type === 'evaluate' && isPageBackend(request.backend)) request.backend = 'auto';
      return node();
    });
  }
}
