/**
 * The model being edited, as the editor holds it: fields may be empty or out of range while a
 * learner types, and a layer keeps its old fields when its type changes so switching back loses
 * nothing. `toSpecInput` turns it into what the contract's schema judges.
 */
import {
  ACTIVATIONS, ModelSpec, OptimizerSpec, OPTIMIZER_TYPES, TrainingSpec,
  type Activation, type LayerType, type ModelSpecInput, type OptimizerType,
} from '../../../src-main/shared/spec.js';

export type Num = number | null;

export interface DraftLayer {
  /** Stable key for the list (survives moves); never sent. */
  key: number;
  type: LayerType;
  units: Num;
  activation: Activation;
  useBias: boolean;
  rate: Num;
}

export type OptimizerDraft = { type: OptimizerType } & Record<string, number | boolean | string | null>;

export interface Draft {
  /** As typed: "28, 28". */
  inputShape: string;
  layers: DraftLayer[];
  optimizer: OptimizerDraft;
  training: Record<keyof TrainingSpec, Num>;
}

export const LAYER_TYPES: readonly LayerType[] = ['flatten', 'dense', 'dropout'];
export { ACTIVATIONS, OPTIMIZER_TYPES };

let nextKey = 1;

export function newLayer(type: LayerType, units = 100, activation: Activation = 'relu'): DraftLayer {
  return { key: nextKey++, type, units, activation, useBias: true, rate: 0.3 };
}

/** Keras' defaults for an optimizer, read from the schema so they cannot drift from the service. */
export function optimizerDefaults(type: OptimizerType): OptimizerDraft {
  return { ...OptimizerSpec.parse({ type }) } as OptimizerDraft;
}

export function trainingDefaults(): Draft['training'] {
  return { ...TrainingSpec.parse({}) };
}

export function draftFromSpec(spec: ModelSpecInput): Draft {
  const parsedOpt = spec.optimizer ? OptimizerSpec.safeParse(spec.optimizer) : null;
  return {
    inputShape: spec.inputShape.join(', '),
    layers: spec.layers.map((l) => {
      const layer = newLayer(l.type);
      if (l.type === 'dense') Object.assign(layer, { units: l.units, activation: l.activation ?? 'linear', useBias: l.useBias ?? true });
      if (l.type === 'dropout') layer.rate = l.rate;
      return layer;
    }),
    optimizer: parsedOpt?.success ? ({ ...parsedOpt.data } as OptimizerDraft) : optimizerDefaults('rmsprop'),
    training: { ...trainingDefaults(), ...(spec.training ?? {}) },
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
    layers: d.layers.map((l) => {
      if (l.type === 'flatten') return { type: 'flatten' };
      if (l.type === 'dropout') return { type: 'dropout', rate: l.rate };
      return { type: 'dense', units: l.units, activation: l.activation, useBias: l.useBias };
    }),
    optimizer: { ...d.optimizer },
    training: { ...d.training },
  };
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
      layers: saved.layers.filter((l) => LAYER_TYPES.includes(l.type)).map((l) => ({ ...newLayer(l.type), ...l, key: nextKey++ })),
      optimizer: OPTIMIZER_TYPES.includes(saved.optimizer.type) ? { ...optimizerDefaults(saved.optimizer.type), ...saved.optimizer } : base.optimizer,
      training: { ...base.training, ...saved.training },
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
  kind: 'required' | 'notInteger' | 'tooSmall' | 'tooBig' | 'choice' | 'lastDense' | 'other';
  limit?: number;
  inclusive?: boolean;
  /** The schema's own English message, for kinds we do not word ourselves. */
  message: string;
}

export function validateDraft(d: Draft): { ok: true; spec: ModelSpec } | { ok: false; issues: SpecIssue[] } {
  const r = ModelSpec.safeParse(toSpecInput(d));
  if (r.success) return { ok: true, spec: r.data };
  const issues = r.error.issues.map((i): SpecIssue => {
    const path = i.path.map(String).join('.') || '(root)';
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
      case 'custom':
        return { path, kind: i.message.includes('last layer') ? 'lastDense' : 'other', message: i.message };
      default:
        return { path, kind: 'other', message: i.message };
    }
  });
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
