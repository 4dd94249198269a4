/**
 * Experiments: a base spec, variants that change some of its fields, N seeds each. Each variant is
 * a group of runs (seed, seed+1, …), so the comparison sees "sigmoid × 3" against "relu × 3".
 * The experiment lives in its runs (experiment id and group id); no table of its own.
 */
import { UserError } from '../shared/errors.js';
import { message } from '../shared/messages.js';
import { parseModelSpec, describeSpecErrors, type ModelSpec } from '../shared/spec.js';
import { RUN_STATUSES, TERMINAL_STATUSES, type RunStatus } from '../shared/runs.js';
import type { ExperimentStatus } from '../shared/contract.js';
import type { RunStore } from '../store/runs.js';
import type { DatasetRef } from '../shared/dataset-ref.js';

export interface ExperimentRequest {
  name: string;
  spec: ModelSpec;
  variants: { name: string; changes: Record<string, unknown> }[];
  seeds: number;
  dataset: DatasetRef;
  limit?: number;
}

type StartRuns = (args: { spec: ModelSpec; dataset: DatasetRef; name: string; limit?: number; repeat: number; group: string; experiment: string }) => { runIds: string[] };

/** Sets `path` ("layers.1.activation") in a deep copy of `obj`; the path must already exist. */
export function applyChange(obj: unknown, path: string, value: unknown, variant: string): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = node[keys[i]];
    if (typeof next !== 'object' || next === null) throw new UserError(`variant '${variant}': the spec has no field ${keys.slice(0, i + 1).join('.')} (from '${path}')`);
    node = next as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}

export class ExperimentService {
  constructor(private readonly store: RunStore, private readonly startRuns: StartRuns) {}

  start(req: ExperimentRequest): ExperimentStatus {
    const names = new Set(req.variants.map((v) => v.name));
    if (names.size !== req.variants.length) throw new UserError('experiment variants need distinct names');
    // Validate every variant before queueing any run: all or nothing.
    const specs = req.variants.map((v) => {
      let input: unknown = req.spec;
      for (const [path, value] of Object.entries(v.changes)) input = applyChange(input, path, value, v.name);
      const r = parseModelSpec(input);
      if (!r.ok) throw new UserError(`variant '${v.name}': ${describeSpecErrors(r.errors)}`);
      return r.spec;
    });
    const id = `${slugify(req.name)}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    req.variants.forEach((v, i) => {
      this.startRuns({ spec: specs[i], dataset: req.dataset, name: `${req.name}: ${v.name}`, limit: req.limit, repeat: req.seeds, group: `${id}/${v.name}`, experiment: id });
    });
    return this.status(id);
  }

  /** The most recent experiments, newest first: what a window opened later shows. */
  list(limit = 20): ExperimentStatus[] {
    return this.store.listExperimentIds(limit).map((id) => this.status(id));
  }

  status(id: string): ExperimentStatus {
    const runs = this.store.listRuns({ experiment: id });
    if (!runs.length) throw new UserError(message('experiment.notFound', { id }));
    const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
    const groups = new Map<string, string[]>();
    for (const r of [...runs].reverse()) {
      counts[r.status]++;
      const g = r.group ?? '';
      groups.set(g, [...(groups.get(g) ?? []), r.id]);
    }
    const name = runs[0].name.split(': ')[0];
    return {
      id, name,
      groups: [...groups].map(([group, runIds]) => ({ variant: group.slice(id.length + 1), group, runIds })),
      counts,
      done: runs.every((r) => TERMINAL_STATUSES.includes(r.status)),
    };
  }
}

function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30) || 'experiment';
}
