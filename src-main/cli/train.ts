/** `layerlab train`: builds a spec from a preset or a file plus flags, runs it through the service. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { isUserError, UserError } from '../shared/errors.js';
import { findPreset, PRESETS } from '../shared/presets.js';
import { OptimizerSpec, parseModelSpec, describeSpecErrors, fitToDataset, type ModelSpec } from '../shared/spec.js';
import { MONITORS } from '../shared/callbacks.js';
import type { RunSummary } from '../shared/runs.js';
import type { Api } from '../shared/contract.js';
import { intOption, numberOption, stringOption, type Options } from './args.js';
import { strings } from './flags.js';
import { bar, duration, fixed, StatusLine, table } from './format.js';
import { trace } from '../workers/trace.js';

export const TRAIN_OPTIONS: Options = {
  preset: { type: 'string' }, model: { type: 'string' }, dataset: { type: 'string' },
  optimizer: { type: 'string' }, lr: { type: 'string' }, epochs: { type: 'string' },
  'batch-size': { type: 'string' }, 'validation-split': { type: 'string' }, limit: { type: 'string' },
  seed: { type: 'string' }, probe: { type: 'string' }, backend: { type: 'string' }, reprobe: { type: 'boolean' }, json: { type: 'boolean' },
  name: { type: 'string' }, tag: { type: 'string', multiple: true }, notes: { type: 'string' },
  repeat: { type: 'string' }, 'save-model': { type: 'boolean' }, path: { type: 'string' },
  concurrency: { type: 'string' }, continue: { type: 'string' }, redis: { type: 'string' }, 'stall-seconds': { type: 'string' }, 'local-workers': { type: 'string' },
  patience: { type: 'string' }, monitor: { type: 'string' }, 'min-delta': { type: 'string' }, 'restore-best': { type: 'boolean' }, checkpoint: { type: 'boolean' },
};

function readSpecFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The spec the flags describe: a preset or a file (or `base`, the spec of a run to continue), then
 * each flag applied on top.
 */
export function specFromOptions(v: Record<string, unknown>, base?: { spec: ModelSpec; label: string }): { spec: ModelSpec; label: string; fromPreset: boolean } {
  const presetName = stringOption(v, 'preset');
  const modelFile = stringOption(v, 'model');
  if (presetName && modelFile) throw new UserError('give --preset or --model, not both');
  if (base && (presetName || modelFile)) throw new UserError('--continue trains the run\'s own model: leave out --preset and --model');
  let input: unknown;
  let label: string;
  if (base) {
    input = structuredClone(base.spec);
    label = base.label;
  } else if (modelFile) {
    input = readSpecFile(modelFile);
    label = basename(modelFile).replace(/\.json$/i, '');
  } else {
    const name = presetName ?? 'book-relu';
    const preset = findPreset(name);
    if (!preset) throw new UserError(`unknown preset '${name}': choose one of ${PRESETS.map((p) => p.name).join(', ')}`);
    input = structuredClone(preset.spec);
    label = name;
  }
  if (!isRecord(input)) throw new UserError(`${modelFile ?? label}: a model spec must be a JSON object`);
  const optimizer = stringOption(v, 'optimizer');
  const lr = numberOption(v, 'lr');
  if (optimizer) {
    const o = OptimizerSpec.safeParse({ type: optimizer });
    if (!o.success) throw new UserError(`--optimizer: unknown optimizer '${optimizer}': choose sgd, adagrad, adadelta, rmsprop, adam or adamax`);
    input.optimizer = o.data;
  }
  if (lr !== undefined) input.optimizer = { ...(isRecord(input.optimizer) ? input.optimizer : { type: 'rmsprop' }), learningRate: lr };
  const training: Record<string, unknown> = { ...(isRecord(input.training) ? input.training : {}) };
  const set = (key: string, value: number | undefined) => { if (value !== undefined) training[key] = value; };
  set('epochs', intOption(v, 'epochs', 1));
  set('batchSize', intOption(v, 'batch-size', 1));
  set('validationSplit', numberOption(v, 'validation-split'));
  set('seed', intOption(v, 'seed', 0));
  // Layer statistics after each epoch on this many validation samples (0: none): spec.training.probeSize.
  set('probeSize', intOption(v, 'probe', 0));
  applyCallbackFlags(v, training);
  input.training = training;
  const r = parseModelSpec(input);
  if (!r.ok) throw new UserError(`${modelFile ?? label}: ${describeSpecErrors(r.errors)}`);
  return { spec: r.spec, label, fromPreset: !modelFile && !base };
}

/** --patience, --monitor, --min-delta, --restore-best switch early stopping on (over the spec's own); --checkpoint keeps the best epoch. */
function applyCallbackFlags(v: Record<string, unknown>, training: Record<string, unknown>): void {
  const patience = intOption(v, 'patience', 0);
  const minDelta = numberOption(v, 'min-delta');
  const monitor = stringOption(v, 'monitor');
  if (monitor !== undefined && !(MONITORS as readonly string[]).includes(monitor)) throw new UserError(`--monitor: '${monitor}' is not one of ${MONITORS.join(', ')}`);
  if (patience !== undefined || monitor !== undefined || minDelta !== undefined || v['restore-best'] === true) {
    training.earlyStopping = {
      ...((training.earlyStopping as object) ?? {}),
      ...(patience !== undefined ? { patience } : {}),
      ...(monitor !== undefined ? { monitor } : {}),
      ...(minDelta !== undefined ? { minDelta } : {}),
      ...(v['restore-best'] === true ? { restoreBestWeights: true } : {}),
    };
  }
  if (v.checkpoint === true) training.checkpoint = { monitor: monitor ?? (training.earlyStopping as { monitor?: string } | undefined)?.monitor ?? 'valLoss' };
}

/** A --dataset value that names a folder or file (the user's), not an id. */
function looksLikePath(value: string): boolean {
  return /[/\\]/.test(value) || value.startsWith('.') || value.startsWith('~');
}

/**
 * `--dataset`: a catalog or dataset id, or a folder or file of the user's, which is imported
 * first (in the importer process, like any import) and then trained on by the id it got.
 */
async function datasetFromOption(api: Api, value: string | undefined, json: boolean): Promise<string> {
  const v = value ?? 'fashion-mnist';
  if (!looksLikePath(v)) return v;
  const path = resolve(v);
  if (!existsSync(path)) throw new UserError(`--dataset ${v}: no such folder or file`);
  const d = await api.invoke('datasets:import', { source: { path } });
  if (!json) process.stderr.write(`imported ${path} as dataset ${d.id}\n`);
  return d.id;
}

export async function trainCommand(api: Api, v: Record<string, unknown>): Promise<number> {
  const continueFrom = stringOption(v, 'continue');
  const source = continueFrom ? await api.invoke('runs:show', { id: continueFrom }) : null;
  const chosen = specFromOptions(v, source ? { spec: source.spec, label: `${source.name} (continued)` } : undefined);
  const { label } = chosen;
  let { spec } = chosen;
  const json = v.json === true;
  const repeat = intOption(v, 'repeat', 1) ?? 1;
  const limit = intOption(v, 'limit', 1);
  // A continued run trains on its source's dataset unless told otherwise.
  const datasetId = source && !stringOption(v, 'dataset') ? source.datasetId : await datasetFromOption(api, stringOption(v, 'dataset'), json);
  trace('cli: dataset resolved');
  if (chosen.fromPreset) {
    // A preset is the book's layer stack; on another dataset its input and output take that
    // dataset's shape and classes (a model file is taken as written).
    const dataset = await api.invoke('datasets:show', { id: datasetId }).catch(() => null);
    if (dataset?.available) {
      const fitted = fitToDataset(spec, dataset.featureShape, dataset.classNames.length);
      if (fitted !== spec && !json) {
        process.stderr.write(`${label} fitted to ${dataset.name}: input ${fitted.inputShape.join('×')}, ${dataset.classNames.length} output classes\n`);
      }
      spec = fitted;
    }
  }
  trace('cli: dataset shown (preset fitted)');
  const status = new StatusLine();
  const started = new Map<string, number>();
  const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const runs = new Map<string, RunSummary>();
  const errorNames = new Map<string, string>();
  let runIds: string[] = [];
  const multi = repeat > 1;
  let lastStartLine = '';

  api.on('runs:started', (e) => {
    if (!runIds.includes(e.runId)) return;
    started.set(e.runId, performance.now());
    const skipped = skippedText(e.skipped);
    if (json) out({ type: 'start', ...(multi ? { runId: e.runId } : {}), backend: e.backend, device: e.device, skipped: e.skipped, ...(e.probe ? { probe: e.probe, why: e.why, measuredAt: e.measuredAt, cached: e.cached ?? false } : {}), trainCount: e.trainCount, valCount: e.valCount, batches: e.batches, epochs: e.epochs });
    else {
      // Once per repeat, not once per seed: the seeds of a group start alike; a run that differs says so.
      const cached = e.cached && e.measuredAt ? ` [figures from the probe cache, measured ${e.measuredAt.slice(0, 16).replace('T', ' ')} UTC; --reprobe measures again]` : '';
      const line = `backend ${e.backend} (${e.device})${e.why ? ` — auto chose it: ${e.why}${cached}` : ''}${skipped ? ` — skipped ${skipped}` : ''}; ${e.trainCount.toLocaleString('en-US')} training / ${e.valCount.toLocaleString('en-US')} validation samples`;
      if (line !== lastStartLine) status.done(line);
      trace('cli: first line printed');
      lastStartLine = line;
    }
  });
  api.on('runs:batch', (e) => {
    if (json || !runIds.includes(e.runId)) return;
    const elapsed = (performance.now() - (started.get(e.runId) ?? performance.now())) / 1000;
    const fraction = ((e.epoch - 1) * e.batches + e.batch) / (spec.training.epochs * e.batches);
    const eta = fraction > 0 ? elapsed / fraction - elapsed : NaN;
    status.update(`${multi ? `run ${runIds.indexOf(e.runId) + 1}/${repeat} ` : ''}epoch ${e.epoch}/${spec.training.epochs} ${bar(e.batch / e.batches)} ${e.batch}/${e.batches} loss ${fixed(e.loss, 4)} acc ${fixed(e.accuracy)} ETA ${duration(eta)}`);
  });
  api.on('runs:epoch', (e) => {
    if (!runIds.includes(e.runId)) return;
    const { runId, ...m } = e;
    if (json) out({ type: 'epoch', ...(multi ? { runId } : {}), epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, valLoss: m.valLoss, valAccuracy: m.valAccuracy, seconds: m.seconds });
    else status.done(`${multi ? `run ${runIds.indexOf(runId) + 1}/${repeat} ` : ''}epoch ${m.epoch}/${spec.training.epochs}  loss ${fixed(m.loss, 4)}  accuracy ${fixed(m.accuracy)}  val_loss ${fixed(m.valLoss, 4)}  val_accuracy ${fixed(m.valAccuracy)}  ${m.seconds.toFixed(1)} s`);
  });
  // A run can end before runs:start answers (a GPU rung with no browser fails at once): keep
  // every ending, and count ours once their ids are known.
  const ended = new Map<string, { run: RunSummary; errorName: string | null }>();
  let checkFinished = () => {};
  const finished = new Promise<void>((resolveAll) => {
    checkFinished = () => {
      for (const id of runIds) {
        const e = ended.get(id);
        if (!e) continue;
        runs.set(id, e.run);
        if (e.errorName) errorNames.set(id, e.errorName);
      }
      if (runIds.length > 0 && runs.size === runIds.length) resolveAll();
    };
    api.on('runs:finished', (e) => {
      ended.set(e.runId, { run: e.run, errorName: e.errorName });
      checkFinished();
    });
  });
  const stop = () => { for (const id of runIds) void api.invoke('runs:stop', { id }); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const r = await api.invoke('runs:start', {
    spec, datasetId, name: stringOption(v, 'name') ?? label, tags: strings(v, 'tag'),
    notes: stringOption(v, 'notes'), limit, repeat, saveModel: v['save-model'] === true,
    continueFrom,
  });
  runIds = r.runIds;
  trace('cli: runs:start answered');
  checkFinished();
  await finished;
  return report(api, runIds.map((id) => runs.get(id)!), json, r.group, errorNames);
}

async function report(api: Api, runs: RunSummary[], json: boolean, group: string | null, errorNames: Map<string, string>): Promise<number> {
  let code = 0;
  let testNote = '';
  for (const run of runs) {
    const detail = await api.invoke('runs:show', { id: run.id });
    // --limit cuts the test set too: say on how many samples the test score stands.
    const ev = detail.evaluation;
    if (ev?.split === 'test' && run.limit !== null && !testNote) {
      const all = (await api.invoke('datasets:show', { id: run.datasetId })).testCount;
      if (ev.count < all) testNote = `test score on the first ${ev.count.toLocaleString('en-US')} of ${all.toLocaleString('en-US')} test samples (--limit cuts the test set too, to no fewer than 1,000)`;
    }
    const sps = detail.epochs.length ? Math.max(...detail.epochs.map((e) => e.samplesPerSecond)) : null;
    if (run.status === 'failed') {
      // A mistake the user can fix (corrupt file, diverging loss) exits 2, like any other.
      const user = isUserError({ name: errorNames.get(run.id) ?? 'Error', message: '' });
      code = Math.max(code, user ? 2 : 1);
      process.stderr.write(user ? `layerlab: ${run.error}\n` : `layerlab: run ${run.id} failed: ${run.error}\n`);
    }
    if (json) {
      process.stdout.write(`${JSON.stringify({
        type: 'result', runId: run.id, group, seed: run.seed, status: run.status,
        // The scores of the epoch the run kept (its best, when a callback restored or checkpointed it).
        trainAccuracy: detail.trainAccuracy, valAccuracy: detail.valAccuracy, valLoss: detail.valLoss,
        testAccuracy: run.testAccuracy ?? null, epochs: detail.epochs.length,
        stoppedEpoch: detail.stoppedEpoch, bestEpoch: detail.bestEpoch, modelEpoch: detail.modelEpoch ?? (detail.epochs.length || null),
        seconds: run.seconds, backend: run.backend, device: run.device, samplesPerSecond: sps, error: run.error,
      })}\n`);
    }
  }
  if (!json) {
    const rows = [['run', 'seed', 'train score', 'val score', 'val loss', 'test score', 'epochs', 'seconds', 'backend', 'status']];
    for (const run of runs) {
      rows.push([run.name, String(run.seed), fixed(run.trainAccuracy), fixed(run.valAccuracy), fixed(run.valLoss), fixed(run.testAccuracy), String(run.epochsDone), fixed(run.seconds, 1), run.backend ?? '-', run.status]);
    }
    process.stdout.write(`${table(rows)}\n`);
    if (testNote) process.stdout.write(`${testNote}\n`);
    for (const run of runs) {
      const line = marksLine(run);
      if (line) process.stdout.write(`${runs.length > 1 ? `${run.name}: ` : ''}${line}\n`);
    }
    if (group) process.stdout.write(`group: ${group}  (compare with: layerlab compare ${group} …)\n`);
  }
  return code;
}

/** "webgpu, webgl: no GPU device (…); tensorflow: not installed": rungs skipped for one reason share it. */
export function skippedText(skipped: { name: string; reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.name]);
  return [...byReason].map(([reason, names]) => `${names.join(', ')}: ${reason}`).join('; ');
}

/** What the callbacks did, in one line: "early stopping ended the run after epoch 17; best epoch 15; kept epoch 15's weights". */
export function marksLine(run: Pick<RunSummary, 'stoppedEpoch' | 'bestEpoch' | 'modelEpoch' | 'epochsDone'>): string | null {
  const parts: string[] = [];
  if (run.stoppedEpoch !== null) parts.push(`early stopping ended the run after epoch ${run.stoppedEpoch}`);
  if (run.bestEpoch !== null) parts.push(`best epoch ${run.bestEpoch}`);
  if (run.modelEpoch !== null) parts.push(`the run keeps epoch ${run.modelEpoch}'s weights (the scores above are that epoch's)`);
  return parts.length ? parts.join('; ') : null;
}
