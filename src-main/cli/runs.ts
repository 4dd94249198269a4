/** `layerlab runs …` and `layerlab compare`. */
import { resolve } from 'node:path';
import { UserError } from '../shared/errors.js';
import { RUN_STATUSES } from '../shared/runs.js';
import type { Api } from '../shared/contract.js';
import { stringOption } from './args.js';
import { choice } from './flags.js';
import { csvTable, fixed, table } from './format.js';
import { formatComparison } from './compare-format.js';
import { marksLine } from './train.js';
import type { ModelSpec } from '../shared/spec.js';
import type { RunDetail } from '../shared/runs.js';
import { DEFAULT_PROBE_SIZE } from '../shared/layer-stats.js';
import { activationReading, gradientReading, readingText } from '../shared/layer-readings.js';
import { describeLayer } from '../shared/layers/index.js';
import { describeOptimizer } from '../shared/stats/index.js';
import { describeLayers } from '../shared/summary.js';

/** A model in a few words for a table: its layers without the input ("Flatten → Dense(100, relu) → Dense(10, softmax)"). */
function modelWords(spec: ModelSpec): string {
  return describeLayers(spec).split(' → ').slice(1).join(' → ');
}

export async function runsCommand(api: Api, args: string[], v: Record<string, unknown>): Promise<number> {
  const [sub, ...rest] = args;
  const json = v.json === true;
  const print = (value: unknown, text: string) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  switch (sub) {
    case 'list': case undefined: {
      const format = choice(v, 'format', RUNS_LIST_FORMATS) ?? 'table';
      const runs = await api.invoke('runs:list', {
        filter: { group: stringOption(v, 'group'), tag: stringOption(v, 'tag'), status: choice(v, 'status', RUN_STATUSES), dataset: stringOption(v, 'dataset'), worker: stringOption(v, 'worker') },
      });
      // What a run was: its dataset (and --limit), its model in a few words, its optimizer.
      const details = json ? [] : await Promise.all(runs.map((r) => api.invoke('runs:show', { id: r.id })));
      // The queue worker that trained each run, only when some run had one (a local history stays as it was).
      const workers = runs.some((r) => r.worker);
      const rows = [
        ['id', 'name', 'group', 'status', 'dataset', 'model', 'optimizer', 'seed', 'train score', 'val score', 'epochs', 'seconds', ...(workers ? ['worker'] : [])],
        ...runs.map((r, i) => [r.id, r.name, r.group ?? '-', r.status, r.limit ? `${r.datasetId} (${r.limit.toLocaleString('en-US')})` : r.datasetId,
          details[i] ? modelWords(details[i].spec) : '-', details[i] ? describeOptimizer(details[i].spec.optimizer) : '-',
          String(r.seed), fixed(r.trainAccuracy), fixed(r.valAccuracy), String(r.epochsDone), fixed(r.seconds, 1),
          ...(workers ? [r.worker?.name ?? '-'] : [])]),
      ];
      // CSV: one value per cell, an empty cell where the table says '-'.
      print(runs, format === 'csv' ? csvTable(rows.map((row) => row.map((c) => (c === '-' ? '' : c)))) : table(rows));
      return 0;
    }
    case 'show': {
      if (!rest[0]) throw new UserError('runs show: give a run id (see layerlab runs list)');
      const r = await api.invoke('runs:show', { id: rest[0] });
      const epochs = table([['epoch', 'loss', 'accuracy', 'val loss', 'val accuracy', 'seconds'], ...r.epochs.map((e) => [String(e.epoch), fixed(e.loss, 4), fixed(e.accuracy), fixed(e.valLoss, 4), fixed(e.valAccuracy), e.seconds.toFixed(1)])]);
      const ev = r.evaluation ? `\n${r.evaluation.split} accuracy ${fixed(r.evaluation.accuracy)}, loss ${fixed(r.evaluation.loss, 4)} (${r.evaluation.count} samples)` : '';
      const marks = marksLine(r);
      if (v.layers === true && !json) {
        print(r, layersText(r));
        return 0;
      }
      const t = r.spec.training;
      const model = `model      ${describeLayers(r.spec)}\noptimizer  ${describeOptimizer(r.spec.optimizer)}, ${r.spec.loss}\ntraining   ${t.epochs} epochs, batch size ${t.batchSize}, validation share ${t.validationSplit}, split seed ${t.splitSeed}${t.earlyStopping ? ', early stopping' : ''}${t.checkpoint ? ', checkpoint' : ''}`;
      const samples = r.trainCount !== null ? `, ${r.trainCount.toLocaleString('en-US')} training / ${(r.valCount ?? 0).toLocaleString('en-US')} validation samples${r.limit ? ` (--limit ${r.limit})` : ''}` : '';
      print(r, `${r.name} (${r.id})  ${r.status}${r.error ? `: ${r.error}` : ''}\ndataset ${r.datasetId}${samples}, seed ${r.seed}, backend ${r.backend ?? '-'}${r.group ? `, group ${r.group}` : ''}${r.continuedFrom ? `, continued from ${r.continuedFrom}` : ''}${workerText(r)}\n${model}\n(the whole spec: layerlab runs show ${r.id} --json)\n${epochs}${marks ? `\n${marks}` : ''}${ev}`);
      return 0;
    }
    case 'delete': {
      if (!rest.length) throw new UserError('runs delete: give one or more run ids');
      const r = await api.invoke('runs:delete', { ids: rest });
      print(r, `deleted ${r.deleted.join(', ')}`);
      return 0;
    }
    case 'export': {
      const out = stringOption(v, 'out');
      if (!rest[0]) throw new UserError('runs export: give a run id (and --out FILE, or it goes to the data folder\'s exports)');
      const r = await api.invoke('runs:export', { id: rest[0], out: out === undefined ? undefined : { path: resolve(out) }, overwrite: v.force === true });
      print(r, `wrote ${r.path} (${r.bytes} bytes)`);
      return 0;
    }
    case 'import': {
      if (!rest[0]) throw new UserError('runs import: give the file written by runs export');
      const r = await api.invoke('runs:import', { source: { path: resolve(rest[0]) } });
      print(r, r.reused ? `already here as ${r.id} (${r.name}); nothing added` : `imported ${r.name} as ${r.id}`);
      return 0;
    }
    case 'evaluate': {
      if (!rest[0]) throw new UserError('runs evaluate: give the id of a run that kept its model');
      const r = await api.invoke('runs:evaluate', { id: rest[0] });
      const ev = r.evaluation!;
      print(r.evaluation, `${r.name} (${r.id}), its saved model${r.modelEpoch ? ` (epoch ${r.modelEpoch})` : ''}: ${ev.split} accuracy ${fixed(ev.accuracy)}, loss ${fixed(ev.loss, 4)} (${ev.count} samples)`);
      return 0;
    }
    default:
      throw new UserError(`runs: unknown subcommand '${sub}': use list, show, delete, export, import or evaluate`);
  }
}

/** `runs show ID --layers`: per layer, its statistics across the epochs, and what they say. */
export function layersText(r: RunDetail): string {
  const recorded = r.epochs.filter((e) => e.layers?.length);
  const head = `${r.name} (${r.id}): layer statistics`;
  if (!recorded.length) return `${head}: none recorded (a run from before Layerlab recorded them, or probeSize 0)`;
  const last = recorded[recorded.length - 1];
  const probe = r.spec.training.probeSize ?? DEFAULT_PROBE_SIZE;
  const out = [`${head} on ${Math.min(probe, r.valCount || r.trainCount || probe)} fixed ${r.valCount ? 'validation' : 'training'} samples after each epoch`];
  for (const stat of last.layers!) {
    const layer = r.spec.layers[stat.index];
    out.push('', `layer ${stat.index + 1}: ${layer ? describeLayer(layer) : stat.type}`);
    const rows = recorded.map((e) => {
      const s = e.layers!.find((l) => l.index === stat.index);
      if (!s) return [String(e.epoch), '-', '-', '-', '-', '-', '-'];
      return [String(e.epoch), fixed(s.mean), fixed(s.sd), `${fixed(s.zeros * 100, 1)}%`, s.saturated === null ? '-' : `${fixed(s.saturated * 100, 1)}%`, sci(s.gradNorm), sci(s.gradRatio)];
    });
    out.push(table([['epoch', 'mean', 'sd', 'zeros', 'saturated', 'grad norm', 'grad/weight'], ...rows]));
    out.push(`epoch ${last.epoch}: ${readingText(activationReading(stat))}`);
  }
  const g = gradientReading(last.layers!);
  if (g) out.push('', `epoch ${last.epoch}: ${readingText(g)}`);
  return out.join('\n');
}

function sci(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '-' : v.toExponential(2);
}

export const RUNS_LIST_FORMATS = ['table', 'csv'] as const;
export const COMPARE_FORMATS = ['table', 'markdown', 'csv'] as const;
export const COMPARE_METRICS = ['valAccuracy', 'trainAccuracy', 'valLoss'] as const;

/** Arguments are run ids or group ids; each is looked up as a group first. */
export async function compareCommand(api: Api, args: string[], v: Record<string, unknown>): Promise<number> {
  if (!args.length) throw new UserError('compare: give run ids or group ids (see layerlab runs list)');
  const format = choice(v, 'format', COMPARE_FORMATS) ?? 'table';
  const metric = choice(v, 'metric', COMPARE_METRICS);
  const all = await api.invoke('runs:list', {});
  const groups = args.filter((a) => all.some((r) => r.group === a));
  const ids = args.filter((a) => !groups.includes(a));
  for (const id of ids) if (!all.some((r) => r.id === id)) throw new UserError(`compare: '${id}' is neither a run id nor a group id (see layerlab runs list)`);
  const comparison = await api.invoke('compare:runs', { ids, groups, metric });
  if (v.json === true) process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
  else {
    const models = new Map<string, ModelSpec>();
    for (const g of comparison.groups) models.set(g.runIds[0], (await api.invoke('runs:show', { id: g.runIds[0] })).spec);
    process.stdout.write(`${formatComparison(comparison, format, models)}\n`);
  }
  return 0;
}

/** A queue worker's run: which worker trained it, and the attempts lost before (kept apart, counted nowhere). */
function workerText(r: { worker?: { name: string; host: string } | null; attempt?: number; lostAttempts?: { attempt: number; worker: { name: string } | null; epochs: unknown[]; why: string }[] }): string {
  if (!r.worker) return '';
  const lost = (r.lostAttempts ?? []).map((a) => `\nattempt ${a.attempt} on ${a.worker?.name ?? 'a worker'} was lost after ${a.epochs.length} epochs (${a.why}); its epochs are kept apart and counted nowhere`).join('');
  return `\ntrained by queue worker ${r.worker.name} on ${r.worker.host}${(r.attempt ?? 1) > 1 ? `, attempt ${r.attempt}` : ''}${lost}`;
}
