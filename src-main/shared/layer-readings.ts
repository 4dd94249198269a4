/**
 * One-line readings of layer statistics for the learner, computed from the numbers: as data (a
 * key and its values), so each face says it in its language; `readingText` is the English (the
 * CLI), the renderer has the same keys under `layers.reading.*` in English and Korean.
 */
import type { LayerStat } from './layer-stats.js';

export type ReadingKey =
  /** Many activations exactly 0 (ReLU). values: name, zeros (percent). */
  | 'sparse'
  /** Saturated activations (sigmoid, tanh). values: name, saturated, zeros (percent). */
  | 'saturated'
  /** Neither sparse nor saturated. values: name, zeros, saturated (percent; saturated may be absent). */
  | 'dense'
  /** The most saturated hidden layer, under 10 %. values: name, saturated (percent). */
  | 'fewSaturated'
  /** No hidden layer has an activation that saturates (ReLU, linear). values: name. */
  | 'cannotSaturate'
  /** First weighted layer's gradient much smaller than the last's. values: times. */
  | 'gradSmaller'
  /** About the same size (within 1.5×). values: times. */
  | 'gradSimilar'
  /** First weighted layer's gradient larger. values: times. */
  | 'gradLarger';

export interface Reading { key: ReadingKey; values: Record<string, string | number> }

/** Activation names as a learner reads them. */
export function activationName(activation: string | null, type: string): string {
  if (activation === null) return type === 'maxPooling2d' ? 'MaxPooling' : type === 'averagePooling2d' ? 'AveragePooling' : type;
  const names: Record<string, string> = { relu: 'ReLU', sigmoid: 'Sigmoid', softmax: 'Softmax', tanh: 'Tanh', linear: 'Linear', elu: 'ELU', selu: 'SELU', gelu: 'GELU' };
  return names[activation] ?? activation;
}

/** A percentage as the readings print it: whole numbers, one decimal below 10 %, "<0.1" for a trace. */
export function percent(fraction: number): string {
  const p = fraction * 100;
  if (p === 0) return '0';
  if (p < 0.1) return '<0.1';
  return p < 10 ? p.toFixed(1) : String(Math.round(p));
}

/** "6" or "1.4": how many times, to a sensible precision. */
export function times(ratio: number): string {
  return ratio >= 10 ? String(Math.round(ratio)) : ratio.toFixed(1);
}

/** What one layer's activations say: sparse at 20 % zeros or more, saturated at 10 % or more. */
export function activationReading(s: LayerStat): Reading {
  const name = activationName(s.activation, s.type);
  if (s.zeros >= 0.2) return { key: 'sparse', values: { name, zeros: percent(s.zeros) } };
  if (s.saturated !== null && s.saturated >= 0.1) return { key: 'saturated', values: { name, saturated: percent(s.saturated), zeros: percent(s.zeros) } };
  return { key: 'dense', values: { name, zeros: percent(s.zeros), saturated: s.saturated === null ? '' : percent(s.saturated) } };
}

/**
 * What the hidden layers' saturation says (the output layer's softmax is the answer's confidence,
 * not a hidden representation): the most saturated one; null without hidden layers.
 */
export function saturationReading(stats: readonly LayerStat[]): Reading | null {
  const hidden = stats.slice(0, -1);
  if (!hidden.length) return null;
  const can = hidden.filter((s) => s.saturated !== null);
  if (!can.length) return { key: 'cannotSaturate', values: { name: activationName(hidden[0].activation, hidden[0].type) } };
  const top = [...can].sort((a, b) => b.saturated! - a.saturated!)[0];
  if (top.saturated! >= 0.1) return activationReading(top);
  return { key: 'fewSaturated', values: { name: activationName(top.activation, top.type), saturated: percent(top.saturated!) } };
}

/**
 * First against last weighted layer's gradient norm (one epoch's stats); null with fewer than two
 * layers with weights, or a zero or missing norm.
 */
export function gradientReading(stats: readonly LayerStat[]): Reading | null {
  const weighted = stats.filter((s) => s.gradNorm !== null && Number.isFinite(s.gradNorm) && s.gradNorm > 0);
  if (weighted.length < 2) return null;
  const first = weighted[0].gradNorm!;
  const last = weighted[weighted.length - 1].gradNorm!;
  if (last / first >= 1.5) return { key: 'gradSmaller', values: { times: times(last / first) } };
  if (first / last >= 1.5) return { key: 'gradLarger', values: { times: times(first / last) } };
  return { key: 'gradSimilar', values: { times: times(Math.max(first / last, last / first)) } };
}

const EN: Record<ReadingKey, string> = {
  sparse: '{name} layer: {zeros}% of activations are exactly 0 (sparse)',
  saturated: '{name} layer: {saturated}% of activations are saturated (stuck near their limits), {zeros}% exactly 0',
  dense: '{name} layer: {zeros}% of activations are exactly 0 (dense)',
  fewSaturated: '{name} layer: only {saturated}% of activations are saturated',
  cannotSaturate: '{name} layers have no upper limit: nothing saturates',
  gradSmaller: 'first-layer gradients are {times}× smaller than the last layer\'s',
  gradSimilar: 'first-layer and last-layer gradients are about the same size (within {times}×)',
  gradLarger: 'first-layer gradients are {times}× larger than the last layer\'s',
};

/** The English sentence of a reading (the CLI; the renderer translates the key). */
export function readingText(r: Reading): string {
  return EN[r.key].replace(/\{(\w+)\}/g, (whole, k: string) => (k in r.values ? String(r.values[k]) : whole));
}
