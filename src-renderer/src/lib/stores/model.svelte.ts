/**
 * The model in the editor. It outlives view switches (the store is created once) and reloads
 * (saved to localStorage whenever any field changes).
 */
import { summarize, type ModelSummary } from '../../../../src-main/shared/summary.js';
import { kerasCode } from '../../../../src-main/shared/keras.js';
import type { LayerType, ModelSpecInput, OptimizerType } from '../../../../src-main/shared/spec.js';
import {
  draftFromSpec, defaultDraft, issuesByPath, moveItem, newLayer, optimizerDefaults, restoreDraft, validateDraft,
  type Draft, type SpecIssue,
} from '../spec-draft.js';

const KEY = 'layerlab.model';
const REPEATS_KEY = 'layerlab.repeats';

function load(key: string): string | null {
  try { return localStorage.getItem(key); } catch { return null; }
}

export class ModelStore {
  draft = $state<Draft>(restoreDraft(load(KEY)));
  repeats = $state<number | null>(Number(load(REPEATS_KEY)) || 1);
  readonly validation = $derived(validateDraft(this.draft));
  readonly issues = $derived<Map<string, SpecIssue[]>>(this.validation.ok ? new Map() : issuesByPath(this.validation.issues));
  readonly summary = $derived<ModelSummary | null>(this.validation.ok ? summarize(this.validation.spec) : null);
  readonly code = $derived<string | null>(this.validation.ok ? kerasCode(this.validation.spec) : null);
  private readonly stop: () => void;

  constructor() {
    // One effect for the store's whole life: serialising reads every field, so any edit saves.
    this.stop = $effect.root(() => {
      $effect(() => {
        const json = JSON.stringify(this.draft);
        const repeats = String(this.repeats ?? 1);
        try {
          localStorage.setItem(KEY, json);
          localStorage.setItem(REPEATS_KEY, repeats);
        } catch { /* storage full or disabled: the model still lives for this session */ }
      });
    });
  }

  dispose(): void { this.stop(); }

  load(spec: ModelSpecInput): void { this.draft = draftFromSpec(spec); }
  reset(): void { this.draft = defaultDraft(); }

  addLayer(type: LayerType): void {
    // A new Dense goes before the output layer: learners add hidden layers far more than outputs.
    const layers = this.draft.layers;
    const last = layers[layers.length - 1];
    const at = type !== 'flatten' && last?.type === 'dense' ? layers.length - 1 : layers.length;
    if (type === 'flatten') layers.splice(0, 0, newLayer('flatten'));
    else layers.splice(at, 0, newLayer(type));
  }

  insertAfter(index: number): void { this.draft.layers.splice(index + 1, 0, newLayer('dense')); }
  remove(index: number): void { this.draft.layers.splice(index, 1); }
  move(index: number, by: -1 | 1): void { this.draft.layers = moveItem(this.draft.layers, index, index + by); }

  setOptimizer(type: OptimizerType): void {
    // Each optimizer starts from Keras' own defaults, as keras.optimizers.X() would.
    this.draft.optimizer = optimizerDefaults(type);
  }

  /** Makes the input shape and the output units match a dataset. */
  fitTo(featureShape: number[], classes: number): void {
    this.draft.inputShape = featureShape.join(', ');
    const layers = this.draft.layers;
    const last = layers[layers.length - 1];
    if (last?.type === 'dense') last.units = classes;
    if (featureShape.length > 1 && layers[0]?.type !== 'flatten') layers.unshift(newLayer('flatten'));
    if (featureShape.length === 1 && layers[0]?.type === 'flatten') layers.shift();
  }
}
