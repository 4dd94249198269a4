/**
 * Keras' model.summary(), computed from the spec alone (no TensorFlow), so the UI can show it
 * live while a user edits. The engine's tests check it against tf.LayersModel.countParams().
 */
import type { ModelSpec, LayerSpec } from './spec.js';

export interface LayerSummary {
  /** Keras-style name: dense, dense_1, flatten, dropout… */
  name: string;
  type: LayerSpec['type'];
  /** Output shape without the batch dimension (Keras prints it as (None, …)). */
  outputShape: number[];
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
}

export function summarize(spec: Pick<ModelSpec, 'inputShape' | 'layers'>): ModelSummary {
  const counters = new Map<string, number>();
  let shape = [...spec.inputShape];
  const layers = spec.layers.map((layer): LayerSummary => {
    const n = counters.get(layer.type) ?? 0;
    counters.set(layer.type, n + 1);
    const name = n === 0 ? layer.type : `${layer.type}_${n}`;
    let params = 0;
    if (layer.type === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    } else if (layer.type === 'dense') {
      const inputs = shape[shape.length - 1];
      params = inputs * layer.units + (layer.useBias ? layer.units : 0);
      shape = [...shape.slice(0, -1), layer.units];
    }
    return { name, type: layer.type, outputShape: [...shape], params };
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
  const rows = summary.layers.map((l) => [`${l.name} (${l.type[0].toUpperCase()}${l.type.slice(1)})`, formatShape(l.outputShape), l.params.toLocaleString('en-US')]);
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
  const layers = spec.layers.map((l) => {
    if (l.type === 'dense') return `Dense(${l.units}, ${l.activation}${l.useBias ? '' : ', no bias'})`;
    if (l.type === 'dropout') return `Dropout(${l.rate})`;
    return 'Flatten';
  });
  return [spec.inputShape.join('×'), ...layers].join(' → ');
}
