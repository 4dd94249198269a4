/**
 * The model being edited, as the editor holds it: fields may be empty or out of range while a
 * learner types, and a layer keeps its old fields when its type changes so switching back loses
 * nothing. `toSpecInput` turns it into what the contract's schema judges.
 */
import {
  ModelSpec, OptimizerSpec, OPTIMIZER_TYPES, TrainingSpec, TRAINING_NUMBERS,
  type LayerType, type ModelSpecInput, type OptimizerType,
} from '../../../src-main/shared/spec.js';
import { CheckpointSpec, EarlyStoppingSpec, type Monitor } from '../../../src-main/shared/callbacks.js';
import { StartRunSchema } from '../../../src-main/shared/contract.js';
import {
  applyLayer, isLayerType, isProblem, LAYERS, LAYER_TYPES, LayerSpec, type LayerField, type LayerProblem, type LayerTrace,
} from '../../../src-main/shared/layers/index.js';

export type Num = number | null;
/** A field as the editor holds it: numbers may be empty (null), sizes and shapes are text. */
export type DraftValue = number | null | boolean | string;

export interface DraftLayer {
  /** Stable key for the list (survives moves); never sent. */
  key: number;
  type: LayerType;
  /** Every field this layer has had, by key: switching its type and back loses nothing. */
  values: Record<string, DraftValue>;
}

export type OptimizerDraft = { type: OptimizerType } & Record<string, number | boolean | string | null>;

export interface Draft {
  /** As typed: "28, 28". */
  inputShape: string;
  layers: DraftLayer[];
  optimizer: OptimizerDraft;
  training: Record<TrainingNumber, Num>;
  callbacks: CallbacksDraft;
}

/**
 * Keras' callbacks as the editor holds them: early stopping on or off with its fields, and the
 * checkpoint (keep the best epoch's weights), both watching one monitor.
 */
export interface CallbacksDraft {
  earlyStopping: boolean;
  monitor: Monitor;
  patience: Num;
  minDelta: Num;
  restoreBestWeights: boolean;
  checkpoint: boolean;
}

type TrainingNumber = (typeof TRAINING_NUMBERS)[number];

export function callbacksDefaults(): CallbacksDraft {
  const es = EarlyStoppingSpec.parse({});
  return { earlyStopping: false, monitor: es.monitor, patience: 2, minDelta: es.minDelta, restoreBestWeights: true, checkpoint: false };
}

function callbacksFromSpec(t: { earlyStopping?: unknown; checkpoint?: unknown } | undefined): CallbacksDraft {
  const base = callbacksDefaults();
  const es = EarlyStoppingSpec.safeParse(t?.earlyStopping);
  const ck = CheckpointSpec.safeParse(t?.checkpoint);
  return {
    ...base,
    ...(es.success && t?.earlyStopping ? { earlyStopping: true, ...es.data } : {}),
    ...(ck.success && t?.checkpoint ? { checkpoint: true, monitor: es.success && t?.earlyStopping ? es.data.monitor : ck.data.monitor } : {}),
  };
}

function callbacksInput(c: CallbacksDraft): Record<string, unknown> {
  return {
    ...(c.earlyStopping ? { earlyStopping: { monitor: c.monitor, patience: c.patience, minDelta: c.minDelta, restoreBestWeights: c.restoreBestWeights } } : {}),
    ...(c.checkpoint ? { checkpoint: { monitor: c.monitor } } : {}),
  };
}

export { LAYER_TYPES, OPTIMIZER_TYPES };

let nextKey = 1;

/** Gives a layer the starting value of each of its type's fields it does not have yet. */
export function fillFields(layer: DraftLayer): DraftLayer {
  for (const f of LAYERS[layer.type].fields) if (!(f.key in layer.values)) layer.values[f.key] = f.draft;
  return layer;
}

export function newLayer(type: LayerType, values: Record<string, DraftValue> = {}): DraftLayer {
  return fillFields({ key: nextKey++, type, values: { ...values } });
}

/** "3, 5" for a [3, 5] size, "3" for [3, 3], "" for none; "28, 28, 1" for a shape. */
function toText(v: unknown): string {
  if (Array.isArray(v)) return v.length === 2 && v[0] === v[1] ? String(v[0]) : v.join(', ');
  return v === null || v === undefined ? '' : String(v);
}

/** A field's draft value as the schema takes it. */
function fieldInput(f: LayerField, v: DraftValue | undefined): unknown {
  if (f.kind !== 'size' && f.kind !== 'shape') return v;
  const text = typeof v === 'string' ? v.trim() : '';
  if (text === '') return f.kind === 'size' && f.optional ? null : undefined;
  const nums = parseShape(text);
  return f.kind === 'size' && nums.length === 1 ? nums[0] : nums;
}

/** One layer as the schema judges it: only the fields of its current type. */
export function layerInput(l: DraftLayer): Record<string, unknown> {
  const out: Record<string, unknown> = { type: l.type };
  for (const f of LAYERS[l.type].fields) out[f.key] = fieldInput(f, l.values[f.key]);
  return out;
}

/** Keras' defaults for an optimizer, read from the schema so they cannot drift from the service. */
export function optimizerDefaults(type: OptimizerType): OptimizerDraft {
  return { ...OptimizerSpec.parse({ type }) } as OptimizerDraft;
}

export function trainingDefaults(): Draft['training'] {
  const t = TrainingSpec.parse({});
  return Object.fromEntries(TRAINING_NUMBERS.map((k) => [k, t[k]])) as Draft['training'];
}

/** The numbers of a training spec, whatever else it holds. */
function trainingNumbers(t: Record<string, unknown> | undefined): Partial<Draft['training']> {
  return Object.fromEntries(TRAINING_NUMBERS.filter((k) => t && (typeof t[k] === 'number' || t[k] === null)).map((k) => [k, t![k] as Num]));
}

export function draftFromSpec(spec: ModelSpecInput): Draft {
  const parsedOpt = spec.optimizer ? OptimizerSpec.safeParse(spec.optimizer) : null;
  return {
    inputShape: spec.inputShape.join(', '),
    layers: spec.layers.map((l) => {
      const values: Record<string, DraftValue> = {};
      // A field left to its default in the spec takes the schema's default, as the service would.
      const parsed = LayerSpec.safeParse(l);
      const full = (parsed.success ? parsed.data : l) as Record<string, unknown>;
      for (const f of LAYERS[l.type].fields) {
        const v = full[f.key];
        if (v === undefined) continue;
        values[f.key] = f.kind === 'size' || f.kind === 'shape' ? toText(v) : (v as DraftValue);
      }
      return newLayer(l.type, values);
    }),
    optimizer: parsedOpt?.success ? ({ ...parsedOpt.data } as OptimizerDraft) : optimizerDefaults('rmsprop'),
    training: { ...trainingDefaults(), ...trainingNumbers(spec.training) },
    callbacks: callbacksFromSpec(spec.training),
  };
}

export function defaultDraft(): Draft {
  return draftFromSpec({
    inputShape: [28, 28],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 100, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
  });
}

/** "28, 28" → [28, 28]; anything unparsable becomes NaN so the schema names its position. */
export function parseShape(text: string): number[] {
  const parts = text.split(/[,×x\s]+/).filter((p) => p.length > 0);
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
}

export function toSpecInput(d: Draft): Record<string, unknown> {
  return {
    inputShape: parseShape(d.inputShape),
    layers: d.layers.map(layerInput),
    optimizer: { ...d.optimizer },
    training: { ...d.training, ...callbacksInput(d.callbacks) },
  };
}

/**
 * Each layer's output shape and parameters as the learner types: from the input shape on, until a
 * layer whose fields do not parse (then null from there) or that cannot take its input.
 */
export function traceDraft(d: Draft): (LayerTrace | null)[] {
  let shape: number[] | null = parseShape(d.inputShape);
  if (shape.length === 0 || shape.some((n) => !Number.isInteger(n) || n < 1)) shape = null;
  return d.layers.map((l) => {
    if (!shape) return null;
    const parsed = LayerSpec.safeParse(layerInput(l));
    if (!parsed.success) { shape = null; return null; }
    const r = applyLayer(parsed.data, shape);
    if (isProblem(r)) { shape = null; return { error: r }; }
    shape = r.shape;
    return r;
  });
}

/** A layer saved by an older version kept its fields at the top level (units, activation, …). */
function restoreLayer(saved: unknown): DraftLayer | null {
  if (typeof saved !== 'object' || saved === null) return null;
  const l = saved as Record<string, unknown>;
  if (!isLayerType(l.type)) return null;
  const values: Record<string, DraftValue> = {};
  const source = typeof l.values === 'object' && l.values !== null ? (l.values as Record<string, unknown>) : l;
  for (const [k, v] of Object.entries(source)) {
    if (k !== 'key' && k !== 'type' && (v === null || ['number', 'string', 'boolean'].includes(typeof v))) values[k] = v as DraftValue;
  }
  return newLayer(l.type, values);
}

/** Loads JSON saved by an older version defensively: anything odd gives the default model. */
export function restoreDraft(json: string | null): Draft {
  if (!json) return defaultDraft();
  try {
    const saved = JSON.parse(json) as Partial<Draft>;
    if (typeof saved.inputShape !== 'string' || !Array.isArray(saved.layers) || !saved.optimizer || !saved.training) return defaultDraft();
    const base = defaultDraft();
    return {
      inputShape: saved.inputShape,
      layers: saved.layers.map(restoreLayer).filter((l): l is DraftLayer => l !== null),
      optimizer: OPTIMIZER_TYPES.includes(saved.optimizer.type) ? { ...optimizerDefaults(saved.optimizer.type), ...saved.optimizer } : base.optimizer,
      training: { ...base.training, ...trainingNumbers(saved.training) },
      callbacks: { ...base.callbacks, ...(typeof saved.callbacks === 'object' && saved.callbacks ? saved.callbacks : {}) },
    };
  } catch {
    return defaultDraft();
  }
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list];
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}

/** A field error as the view shows it: the code and numbers, so it can be said in any language. */
export interface SpecIssue {
  path: string;
  kind: 'required' | 'notInteger' | 'tooSmall' | 'tooBig' | 'choice' | 'lastDense' | 'shape' | 'other';
  /** For 'shape': why the layer cannot take its input. */
  problem?: LayerProblem;
  limit?: number;
  inclusive?: boolean;
  /** The schema's own English message, for kinds we do not word ourselves. */
  message: string;
}

/** zod's issues as the view words them (codes and numbers, said in either language by issueText). */
function specIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix = ''): SpecIssue[] {
  return error.issues.map((i): SpecIssue => {
    const path = [prefix, ...i.path.map(String)].filter((x) => x !== '').join('.') || '(root)';
    const raw = i as unknown as { code: string; expected?: string; minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; message: string };
    switch (raw.code) {
      case 'invalid_type':
        return { path, kind: raw.expected === 'int' ? 'notInteger' : 'required', message: i.message };
      case 'too_small':
        return { path, kind: 'tooSmall', limit: Number(raw.minimum), inclusive: raw.inclusive !== false, message: i.message };
      case 'too_big':
        return { path, kind: 'tooBig', limit: Number(raw.maximum), inclusive: raw.inclusive !== false, message: i.message };
      case 'invalid_value': case 'invalid_union':
        return { path, kind: 'choice', message: i.message };
      case 'custom': {
        const problem = (i as { params?: { problem?: LayerProblem } }).params?.problem;
        if (problem) return { path, kind: 'shape', problem, message: i.message };
        return { path, kind: i.message.includes('last layer') ? 'lastDense' : 'other', message: i.message };
      }
      default:
        return { path, kind: 'other', message: i.message };
    }
  });
}

const REPEAT = StartRunSchema.shape.repeat.unwrap();

/**
 * The number of repeats (seeds) as typed, judged by the contract's own bound for `runs:start`'s
 * `repeat` (an integer from 1 to 100): no issues, or the field's issues at path `repeat`.
 */
export function validateRepeats(value: Num | undefined): SpecIssue[] {
  const r = REPEAT.safeParse(value ?? undefined);
  return r.success ? [] : specIssues(r.error, 'repeat');
}

export function validateDraft(d: Draft): { ok: true; spec: ModelSpec } | { ok: false; issues: SpecIssue[] } {
  const r = ModelSpec.safeParse(toSpecInput(d));
  if (r.success) return { ok: true, spec: r.data };
  const issues = specIssues(r.error);
  // zod runs the spec-wide check (the output layer) only once every field parses; say it at once.
  const lastIndex = d.layers.length - 1;
  if (lastIndex >= 0 && d.layers[lastIndex].type !== 'dense' && !issues.some((i) => i.kind === 'lastDense')) {
    issues.push({ path: `layers.${lastIndex}`, kind: 'lastDense', message: 'the last layer must be Dense (the output layer)' });
  }
  return { ok: false, issues };
}

/** Issues by path; a layer-level issue (e.g. "layers.2") is kept apart from its fields. */
export function issuesByPath(issues: readonly SpecIssue[]): Map<string, SpecIssue[]> {
  const m = new Map<string, SpecIssue[]>();
  for (const i of issues) m.set(i.path, [...(m.get(i.path) ?? []), i]);
  return m;
}

/**
 * The spec fields a learner is likely to vary in an experiment, as dotted paths: each layer's
 * fields its type marks `vary` (not the output layer's: the dataset fixes those), the optimizer,
 * and the early stopping's patience when it is on.
 */
export function experimentFields(d: Draft): string[] {
  const out: string[] = [];
  d.layers.slice(0, -1).forEach((l, i) => {
    for (const f of LAYERS[l.type].fields) if (f.vary) out.push(`layers.${i}.${f.key}`);
  });
  out.push('optimizer.type', 'optimizer.learningRate', 'training.batchSize', 'training.epochs');
  if (d.callbacks.earlyStopping) out.push('training.earlyStopping.patience');
  return out;
}
