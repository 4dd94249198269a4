/**
 * Live training state, fed by the service's run events. Every run the service reports is followed
 * (runs started here, by an experiment, or from another window); `current` is the last start made
 * from the Train page and `focus` the run whose curves are shown.
 */
import type { Api, Events, RequestOf } from '../../../../src-main/shared/contract.js';
import type { EpochRecord, RunDetail, RunStatus } from '../../../../src-main/shared/runs.js';
import type { BatchPoint } from '../charts/series.js';
import { etaSeconds, runFraction } from '../format.js';
import { MONITORS, type Monitor } from '../../../../src-main/shared/callbacks.js';
import { messageIn } from '../verdict-text.js';
import type { Message } from '../../../../src-main/shared/messages.js';
import { t } from '../../i18n/i18n.svelte.js';

/** The monitor of a spec's checkpoint, else its early stopping; null without either. */
function monitorOf(spec: unknown): Monitor | null {
  const t = (spec as { training?: { checkpoint?: { monitor?: unknown }; earlyStopping?: { monitor?: unknown } } } | null)?.training;
  const m = t?.checkpoint?.monitor ?? t?.earlyStopping?.monitor;
  return (MONITORS as readonly unknown[]).includes(m) ? (m as Monitor) : null;
}

/** Batch points kept per run; older ones are dropped two at a time, keeping every other one. */
const MAX_BATCHES = 3000;

export interface LiveRun {
  runId: string;
  name: string;
  status: RunStatus;
  started: Events['runs:started'] | null;
  epochs: EpochRecord[];
  batches: BatchPoint[];
  /** performance.now() when the run started, for the ETA. */
  startedMs: number | null;
  error: string | null;
  /** `error` as a coded message (a NaN loss), said in the chosen language. */
  errorCoded?: Message;
  detail: RunDetail | null;
  /** What its callbacks watch (from the spec it was started with), for the best epoch so far. */
  monitor: Monitor | null;
}

export class TrainingStore {
  runs = $state<Record<string, LiveRun>>({});
  current = $state<string[]>([]);
  focus = $state<string | null>(null);
  startError = $state<string | null>(null);
  /** The Train page's form, kept here so it survives switching pages. */
  form = $state<{ datasetId: string; limit: number | null; name: string; saveModel: boolean }>({ datasetId: '', limit: null, name: '', saveModel: true });
  /** Ticks once a second while something runs, so the ETA and elapsed time move. */
  now = $state(performance.now());
  private readonly off: (() => void)[];
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly api: Api) {
    this.off = [
      api.on('runs:queued', ({ run }) => { this.ensure(run.id, run.name).status = run.status; }),
      api.on('runs:started', (e) => {
        const r = this.ensure(e.runId);
        Object.assign(r, { started: e, status: 'running', startedMs: performance.now(), epochs: [], batches: [] });
        this.tick(true);
      }),
      api.on('runs:batch', (e) => {
        const r = this.ensure(e.runId);
        r.batches.push({ epoch: e.epoch, batch: e.batch, batches: e.batches, loss: e.loss, accuracy: e.accuracy });
        if (r.batches.length > MAX_BATCHES) r.batches = r.batches.filter((_, i) => i % 2 === 0);
      }),
      api.on('runs:epoch', (e) => {
        const { runId, ...record } = e;
        const r = this.ensure(runId);
        r.epochs = [...r.epochs.filter((x) => x.epoch !== record.epoch), record].sort((a, b) => a.epoch - b.epoch);
      }),
      api.on('runs:finished', (e) => {
        const r = this.ensure(e.runId, e.run.name);
        r.status = e.status;
        r.error = e.error;
        r.errorCoded = e.errorCoded;
        if (this.current.includes(e.runId)) void this.loadDetail(e.runId);
        if (!Object.values(this.runs).some((x) => x.status === 'running')) this.tick(false);
      }),
    ];
  }

  dispose(): void {
    this.off.forEach((f) => f());
    this.tick(false);
  }

  private ensure(runId: string, name = ''): LiveRun {
    if (!this.runs[runId]) {
      this.runs[runId] = { runId, name, status: 'queued', started: null, epochs: [], batches: [], startedMs: null, error: null, detail: null, monitor: null };
    }
    const r = this.runs[runId];
    if (name && !r.name) r.name = name;
    return r;
  }

  private tick(on: boolean): void {
    if (on && !this.timer) this.timer = setInterval(() => { this.now = performance.now(); }, 1000);
    if (!on && this.timer) { clearInterval(this.timer); this.timer = null; }
  }

  get focused(): LiveRun | null { return this.focus ? this.runs[this.focus] ?? null : null; }

  get running(): boolean { return this.current.some((id) => ['queued', 'running'].includes(this.runs[id]?.status ?? '')); }

  async start(req: RequestOf<'runs:start'>): Promise<void> {
    this.startError = null;
    try {
      const { runIds } = await this.api.invoke('runs:start', req);
      const monitor = monitorOf(req.spec);
      for (const id of runIds) this.ensure(id, req.name ?? '').monitor = monitor;
      this.current = runIds;
      this.focus = runIds[0] ?? null;
    } catch (err) {
      // A coded refusal (a model that does not fit the dataset) in the user's language.
      this.startError = messageIn((err as { coded?: Message }).coded, (err as Error).message, t);
    }
  }

  async stop(): Promise<void> {
    for (const id of this.current) {
      const s = this.runs[id]?.status;
      if (s === 'running' || s === 'queued') await this.api.invoke('runs:stop', { id });
    }
  }

  async loadDetail(runId: string): Promise<void> {
    const detail = await this.api.invoke('runs:show', { id: runId });
    const r = this.ensure(runId, detail.name);
    r.detail = detail;
    r.status = detail.status;
    // The stored epochs are the record: they replace whatever events arrived.
    r.epochs = detail.epochs;
  }

  /** Scores a run's saved model on its test split again; the run's detail gets the new evaluation. */
  async evaluate(runId: string): Promise<void> {
    const detail = await this.api.invoke('runs:evaluate', { id: runId });
    this.ensure(runId).detail = detail;
  }

  /** Shows a stored run (from the Runs page) as if it had just been trained. */
  async open(runId: string): Promise<void> {
    this.current = [runId];
    this.focus = runId;
    await this.loadDetail(runId);
  }

  /** Fraction done and seconds left for a run. */
  progress(r: LiveRun): { fraction: number; eta: number | null; elapsed: number | null } {
    const epochs = r.started?.epochs ?? r.detail?.spec.training.epochs ?? 0;
    const last = r.batches[r.batches.length - 1];
    const inCurrent = last && last.epoch === r.epochs.length + 1 ? last : null;
    const fraction = r.status === 'completed' ? 1 : runFraction(r.epochs.length, epochs, inCurrent?.batch ?? null, inCurrent?.batches ?? null);
    const elapsed = r.startedMs === null ? null : (this.now - r.startedMs) / 1000;
    return { fraction, eta: r.status === 'running' && elapsed !== null ? etaSeconds(fraction, elapsed) : null, elapsed };
  }
}
