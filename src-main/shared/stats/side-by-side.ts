/**
 * Runs side by side: curves aligned by epoch, the final table as the textbook prints it, and the
 * spec fields that differ between the runs.
 */
import type { EpochRecord, RunDetail, RunSummary } from '../runs.js';
import type { ModelSpec } from '../spec.js';
import { CURVE_METRICS, curveValue, epochIndex, epochUnion, type CurveMetric } from './describe.js';

export interface AlignedRun {
  runId: string;
  name: string;
  /** One value per entry of `AlignedSeries.epochs`; null where this run has no such epoch. */
  values: Record<CurveMetric, (number | null)[]>;
}

export interface AlignedSeries {
  /** Sorted union of the epoch numbers of all runs: the shared x axis. */
  epochs: number[];
  runs: AlignedRun[];
}

/** Aligns the runs' curves on one epoch axis, so runs of different lengths chart together. */
export function alignSeries(runs: ReadonlyArray<Pick<RunSummary, 'id' | 'name'> & { epochs: readonly EpochRecord[] }>): AlignedSeries {
  const epochs = epochUnion(runs);
  return {
    epochs,
    runs: runs.map((run) => {
      const index = epochIndex(run);
      const values = {} as Record<CurveMetric, (number | null)[]>;
      for (const m of CURVE_METRICS) values[m] = epochs.map((e) => curveValue(index, m, e));
      return { runId: run.id, name: run.name, values };
    }),
  };
}

/** One row of the final table: the textbook's train score and val score, and what they cost. */
export interface FinalRow {
  runId: string;
  name: string;
  group: string | null;
  seed: number;
  /** Training accuracy of the last completed epoch. */
  trainScore: number | null;
  /** Validation accuracy of the last completed epoch. */
  valScore: number | null;
  valLoss: number | null;
  epochs: number;
  seconds: number | null;
  /** The rung it trained on (wasm, webgpu…) and the device in one line; null for runs from before they were recorded. */
  backend: string | null;
  device: string | null;
  /** The queue worker's name that trained it; null: this machine's own trainer. */
  worker: string | null;
}

/** The final table, one row per run, in the order given. */
export function finalTable(runs: readonly RunSummary[]): FinalRow[] {
  return runs.map((r) => ({
    runId: r.id,
    name: r.name,
    group: r.group,
    seed: r.seed,
    trainScore: r.trainAccuracy,
    valScore: r.valAccuracy,
    valLoss: r.valLoss,
    epochs: r.epochsDone,
    seconds: r.seconds,
    backend: r.backend,
    device: r.device,
    worker: r.worker?.name ?? null,
  }));
}

export type SpecValue = string | number | boolean | null;

/**
 * A spec as dotted paths to its leaves, in the spec's own order: `layers.1.activation`,
 * `optimizer.learningRate`, `inputShape.0`. Arrays are indexed, so a layer added or removed shows as
 * paths present in one run and absent in another.
 */
export function flattenSpec(spec: ModelSpec | Record<string, unknown>): Map<string, SpecValue> {
  const out = new Map<string, SpecValue>();
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, path ? `${path}.${i}` : String(i)));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.set(path, value);
    } else if (value === null) {
      out.set(path, null);
    }
    // undefined leaves are absent, as they would be after a JSON round trip.
  };
  walk(spec, '');
  return out;
}

/** A spec field that differs between runs; `values[i]` is run i's value, null where it has none. */
export interface SpecDifference {
  path: string;
  values: SpecValue[];
}

/**
 * The spec fields that differ between the runs, and only those, in the order they first appear.
 * A field one run lacks (a layer the other has) counts as null for that run.
 */
export function specDiff(runs: ReadonlyArray<Pick<RunDetail, 'spec'>>): SpecDifference[] {
  const flat = runs.map((r) => flattenSpec(r.spec));
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const f of flat) {
    for (const p of f.keys()) {
      if (!seen.has(p)) { seen.add(p); paths.push(p); }
    }
  }
  const diffs: SpecDifference[] = [];
  for (const path of paths) {
    const values = flat.map((f) => (f.has(path) ? f.get(path)! : null));
    // Presence counts too, so an explicit null and a missing field are not mistaken for equal.
    const present = flat.map((f) => f.has(path));
    const differs = values.some((v, i) => v !== values[0] || present[i] !== present[0]);
    if (differs) diffs.push({ path, values });
  }
  return diffs;
}
