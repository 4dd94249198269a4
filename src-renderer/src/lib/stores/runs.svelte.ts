/**
 * The run history with its filters and selection, the comparison being shown, and the experiments
 * started from this window. The list refreshes itself (debounced) as runs queue, advance and end.
 */
import type { Api, ExperimentStatus, FileRef, RequestOf, Responses } from '../../../../src-main/shared/contract.js';
import type { Comparison } from '../../../../src-main/shared/compare.js';
import type { RunSummary, RunStatus } from '../../../../src-main/shared/runs.js';
import type { Message } from '../../../../src-main/shared/messages.js';

/** `worker`: a queue worker's name (runs it trained); '' for all runs. */
export interface RunFilter { dataset: string; tag: string; group: string; status: RunStatus | ''; worker: string }

export interface ComparisonState {
  loading: boolean;
  error: string | null;
  /** The error as a coded message, when the service said it so (a page translates it). */
  errorCoded?: Message;
  /** The service's statistics (groups, curves, verdict, spec differences). */
  comparison: Comparison | null;
}

export class RunsStore {
  list = $state<RunSummary[]>([]);
  filter = $state<RunFilter>({ dataset: '', tag: '', group: '', status: '', worker: '' });
  selected = $state<string[]>([]);
  selectedGroups = $state<string[]>([]);
  error = $state<string | null>(null);
  compare = $state<ComparisonState | null>(null);
  experiments = $state<ExperimentStatus[]>([]);
  private readonly off: (() => void)[];
  private pending: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly api: Api) {
    const soon = () => this.refreshSoon();
    this.off = [
      api.on('runs:queued', soon),
      api.on('runs:epoch', soon),
      api.on('runs:finished', () => { soon(); void this.refreshExperiments(); }),
    ];
  }

  dispose(): void {
    this.off.forEach((f) => f());
    if (this.pending) clearTimeout(this.pending);
  }

  /** Groups in the list, with how many runs each has and a name from their runs ("한국어 시험", not its id). */
  get groups(): { group: string; count: number; name: string }[] {
    const m = new Map<string, { count: number; name: string }>();
    for (const r of this.list) {
      if (!r.group) continue;
      const g = m.get(r.group);
      if (g) g.count++; else m.set(r.group, { count: 1, name: r.name.replace(/ \(seed \d+\)$/, '') || r.group });
    }
    return [...m.entries()].map(([group, g]) => ({ group, ...g }));
  }

  /**
   * The queue workers that trained runs in the list (names, sorted), with the one filtered by kept
   * selectable; empty when this machine trained every listed run (the page then shows no worker column).
   */
  get workers(): string[] {
    const names = new Set(this.list.flatMap((r) => (r.worker ? [r.worker.name] : [])));
    if (this.filter.worker) names.add(this.filter.worker);
    return [...names].sort();
  }

  /** A group's name for people: its runs' name. */
  groupName(group: string): string {
    return this.groups.find((g) => g.group === group)?.name ?? group;
  }

  refreshSoon(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => { this.pending = null; void this.refresh(); }, 300);
  }

  async refresh(): Promise<void> {
    const f = this.filter;
    const filter: NonNullable<RequestOf<'runs:list'>['filter']> = {};
    if (f.dataset) filter.dataset = f.dataset;
    if (f.tag.trim()) filter.tag = f.tag.trim();
    if (f.group) filter.group = f.group;
    if (f.status) filter.status = f.status;
    if (f.worker) filter.worker = f.worker;
    try {
      this.list = await this.api.invoke('runs:list', { filter });
      const ids = new Set(this.list.map((r) => r.id));
      this.selected = this.selected.filter((id) => ids.has(id));
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  toggle(id: string): void {
    this.selected = this.selected.includes(id) ? this.selected.filter((x) => x !== id) : [...this.selected, id];
  }

  toggleGroup(group: string): void {
    this.selectedGroups = this.selectedGroups.includes(group) ? this.selectedGroups.filter((x) => x !== group) : [...this.selectedGroups, group];
  }

  update(req: RequestOf<'runs:update'>): Promise<RunSummary> {
    return this.api.invoke('runs:update', req).then((r) => { void this.refresh(); return r; });
  }

  async remove(ids: string[]): Promise<void> {
    await this.api.invoke('runs:delete', { ids });
    this.selected = this.selected.filter((id) => !ids.includes(id));
    await this.refresh();
  }

  /** Adds a run from an export file (a handle); one already here is answered with `reused`. */
  async importRun(source: FileRef): Promise<Responses['runs:import']> {
    const r = await this.api.invoke('runs:import', { source });
    await this.refresh();
    return r;
  }

  exportRun(id: string): Promise<{ path: string; bytes: number; download?: string }> {
    return this.api.invoke('runs:export', { id });
  }

  /** Asks the service to compare the picked runs and groups (a run outside any group is a group of one). */
  async runCompare(ids = this.selected, groups = this.selectedGroups): Promise<void> {
    this.compare = { loading: true, error: null, comparison: null };
    try {
      const comparison = await this.api.invoke('compare:runs', { ids: ids.length ? ids : undefined, groups: groups.length ? groups : undefined });
      this.compare = { loading: false, error: null, comparison };
    } catch (err) {
      this.compare = { loading: false, error: (err as Error).message, errorCoded: (err as { coded?: Message }).coded, comparison: null };
    }
  }

  async startExperiment(req: RequestOf<'experiments:start'>): Promise<ExperimentStatus> {
    const status = await this.api.invoke('experiments:start', req);
    this.experiments = [status, ...this.experiments.filter((e) => e.id !== status.id)];
    void this.refresh();
    return status;
  }

  /** The recent experiments as the service keeps them (in their runs), so a reload loses none. */
  async refreshExperiments(): Promise<void> {
    try {
      this.experiments = await this.api.invoke('experiments:list', { limit: 10 });
    } catch (err) {
      this.error = (err as Error).message;
    }
  }
}
