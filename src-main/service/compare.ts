/** `compare:runs`: the runs named by id and by group, fetched whole, then the statistics. */
import { UserError } from '../shared/errors.js';
import { message } from '../shared/messages.js';
import type { RunDetail } from '../shared/runs.js';
import { compareRuns as compute, comparisonRefusal, type DatasetFacts, type StatsComparison } from '../shared/stats/index.js';
import type { RunStore } from '../store/runs.js';

/** `datasets`: what the service knows of each dataset (name, training samples), for the refusal and "N of M samples". */
export function compareRuns(store: RunStore, r: { ids?: string[]; groups?: string[]; metric?: 'valAccuracy' | 'trainAccuracy' | 'valLoss' }, datasets: (id: string) => DatasetFacts | null = () => null): StatsComparison {
  const runs: RunDetail[] = [];
  const seen = new Set<string>();
  const add = (run: RunDetail) => { if (!seen.has(run.id)) { seen.add(run.id); runs.push(run); } };
  for (const group of r.groups ?? []) {
    const members = store.listRuns({ group }).filter((s) => s.status === 'completed');
    if (!members.length) throw new UserError(message('compare.noCompleted', { group }));
    // Oldest first, so seeds read in order.
    for (const s of [...members].reverse()) add(store.getRun(s.id)!);
  }
  for (const id of r.ids ?? []) {
    const run = store.getRun(id);
    if (!run) throw new UserError(message('run.notFound', { id }));
    add(run);
  }
  if (!runs.length) throw new UserError(message('compare.nothing'));
  const facts: Record<string, DatasetFacts> = {};
  for (const id of new Set(runs.map((x) => x.datasetId))) {
    const f = datasets(id);
    if (f) facts[id] = f;
  }
  const refusal = comparisonRefusal(runs, { datasets: facts });
  if (refusal) throw new UserError(message('compare.datasets', { a: refusal.a.label, aDataset: refusal.a.dataset, b: refusal.b.label, bDataset: refusal.b.dataset }));
  return compute(runs, { metric: r.metric, datasets: facts });
}
