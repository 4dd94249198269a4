/**
 * The model in the editor. It outlives view switches (the store is created once) and reloads
 * (saved to localStorage whenever any field changes).
 */
import { summarize, type ModelSummary } from '../../../../src-main/shared/summary.js';
import { kerasCode } from '../../../../src-main/shared/keras.js';
import { fitInput, type LayerType, type ModelSpecInput, type OptimizerType } from '../../../../src-main/shared/spec.js';
import {
  draftFromSpec, defaultDraft, fillFields, issuesByPath, moveItem, newLayer, optimizerDefaults, restoreDraft, traceDraft, validateDraft, validateRepeats,
  type Draft, type SpecIssue,
} from '../spec-draft.js';
import { LAYERS, type LayerTrace } from '../../../../src-main/shared/layers/index.js';

const KEY = 'layerlab.model';
const REPEATS_KEY = 'layerlab.repeats';

function load(key: string): string | null {
  try { return localStorage.getItem(key); } catch { return null; }
}

export class ModelStore {
  draft = $state<Draft>(restoreDraft(load(KEY)));
  repeats = $state<number | null>(Number(load(REPEATS_KEY)) || 1);
  readonly validation = $derived(validateDraft(this.draft));
  /** The repeats field's issues (an integer from 1 to 100, the contract's bound), said by issueText. */
  readonly repeatIssues = $derived<SpecIssue[]>(validateRepeats(this.repeats));
  readonly issues = $derived<Map<string, SpecIssue[]>>(this.validation.ok ? new Map() : issuesByPath(this.validation.issues));
  readonly summary = $derived<ModelSummary | null>(this.validation.ok ? summarize(this.validation.spec) : null);
  readonly code = $derived<string | null>(this.validation.ok ? kerasCode(this.validation.spec) : null);
  /** Each layer's output shape as the learner types, even while other fields are wrong. */
  readonly traces = $derived<(LayerTrace | null)[]>(traceDraft(this.draft));
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

  /**
   * Where learners want a new layer: an image layer (Conv2D, pooling) with the image layers,
   * before the Flatten; a Flatten before the first Dense; anything else before the output layer.
   */
  addLayer(type: LayerType): void {
    const layers = this.draft.layers;
    const firstOf = (t: LayerType) => layers.findIndex((l) => l.type === t);
    const last = layers[layers.length - 1];
    const beforeOutput = last?.type === 'dense' ? layers.length - 1 : layers.length;
    const beforeDense = firstOf('dense') >= 0 ? firstOf('dense') : beforeOutput;
    let at = beforeOutput;
    if (type === 'flatten') at = beforeDense;
    else if (LAYERS[type].imageInput) at = firstOf('flatten') >= 0 ? firstOf('flatten') : beforeDense;
    layers.splice(at, 0, newLayer(type));
  }

  insertAfter(index: number): void { this.draft.layers.splice(index + 1, 0, newLayer('dense')); }
  remove(index: number): void { this.draft.layers.splice(index, 1); }
  move(index: number, by: -1 | 1): void { this.draft.layers = moveItem(this.draft.layers, index, index + by); }

  /** A new type keeps the layer's other fields, and starts the ones it never had. */
  setType(index: number, type: LayerType): void {
    const layer = this.draft.layers[index];
    layer.type = type;
    fillFields(layer);
  }

  setOptimizer(type: OptimizerType): void {
    // Each optimizer starts from Keras' own defaults, as keras.optimizers.X() would.
    this.draft.optimizer = optimizerDefaults(type);
  }

  /** Makes the input shape and the output units match a dataset. */
  fitTo(featureShape: number[], classes: number): void {
    const layers = this.draft.layers;
    const last = layers[layers.length - 1];
    if (last?.type === 'dense') last.values.units = classes;
    const input = fitInput(layers[0]?.type, featureShape);
    if (!input) return;
    this.draft.inputShape = input.inputShape.join(', ');
    if (input.flatten === 'add') layers.unshift(newLayer('flatten'));
    if (input.flatten === 'remove') layers.shift();
  }
}
