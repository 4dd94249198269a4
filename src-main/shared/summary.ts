/**
 * Keras' model.summary(), computed from the spec alone (no TensorFlow), so the UI can show it
 * live while a user edits. The engine's tests check it against tf.LayersModel.countParams().
 */
import type { ModelSpec } from './spec.js';
import { defOf, describeLayer, problemText, traceLayers, type LayerType } from './layers/index.js';

export interface LayerSummary {
  /** Keras-style name: dense, dense_1, flatten, max_pooling2d… */
  name: string;
  type: LayerType;
  /** Keras' class name, as its summary prints it: Dense, Conv2D. */
  className: string;
  /** Output shape without the batch dimension (Keras prints it as (None, …)). */
  outputShape: number[];
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
}

/** @throws Error when a layer cannot take its input: the spec's schema rules that out. */
export function summarize(spec: Pick<ModelSpec, 'inputShape' | 'layers'>): ModelSummary {
  const counters = new Map<string, number>();
  const traces = traceLayers(spec.inputShape, spec.layers);
  const layers = spec.layers.map((layer, i): LayerSummary => {
    const def = defOf(layer);
    const n = counters.get(def.kerasName) ?? 0;
    counters.set(def.kerasName, n + 1);
    const t = traces[i];
    if (!t || 'error' in t) throw new Error(`layer ${i}: ${t ? problemText(t.error) : 'follows a layer that cannot take its input'}`);
    return { name: n === 0 ? def.kerasName : `${def.kerasName}_${n}`, type: layer.type, className: def.kerasClass, outputShape: t.shape, params: t.params };
  });
  const totalParams = layers.reduce((a, l) => a + l.params, 0);
  return { layers, totalParams, trainableParams: totalParams };
}

/** "(None, 100)" as Keras prints it. */
export function formatShape(shape: readonly number[]): string {
  return `(None, ${shape.join(', ')})`;
}

/** The summary as Keras prints it, for the CLI. */
export function formatSummary(summary: ModelSummary): string {
  const rows = summary.layers.map((l) => [`${l.name} (${l.className})`, formatShape(l.outputShape), l.params.toLocaleString('en-US')]);
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('').trimEnd();
  return [
    line(header),
    '='.repeat(widths.reduce((a, b) => a + b, 0)),
    ...rows.map(line),
    '='.repeat(widths.reduce((a, b) => a + b, 0)),
    `Total params: ${summary.totalParams.toLocaleString('en-US')}`,
    `Trainable params: ${summary.trainableParams.toLocaleString('en-US')}`,
  ].join('\n');
}

/** The layer stack in one line, e.g. "28×28 → Flatten → Dense(100, relu) → Dense(10, softmax)". */
export function describeLayers(spec: Pick<ModelSpec, 'inputShape' | 'layers'>): string {
  return [spec.inputShape.join('×'), ...spec.layers.map(describeLayer)].join(' → ');
}
