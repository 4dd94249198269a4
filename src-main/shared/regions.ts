/**
 * A trained model's decision regions over a 2-feature dataset, as TensorFlow Playground draws
 * them: the class the model picks (and how sure it is) on a grid over the data's range, and the
 * points themselves. Computed in the trainer with the run's kept model; kept as the run's
 * 'regions' artifact. Plain data: crosses IPC and WebSocket.
 */
export interface DecisionRegions {
  /** Feature 1's range (horizontal) and feature 2's (vertical), the data's own plus a margin. */
  x: [number, number];
  y: [number, number];
  /** Cells per side. */
  size: number;
  /** The class picked per cell, row-major, row 0 at the smallest y. */
  cls: number[];
  /** Its probability per cell, 0..1 (two decimals). */
  conf: number[];
  /** Training points (up to a sample of them). */
  train: { x: number[]; y: number[]; label: number[] };
  /** The points the run was scored on, with the model's answer: misclassified where they differ. */
  held: { split: 'test' | 'validation'; x: number[]; y: number[]; label: number[]; predicted: number[] };
}

/** What runs:regions answers: the regions with the dataset's names, or null when the run has none. */
export type RegionsView = DecisionRegions & { classNames: string[]; featureNames: [string, string] };

/** A dataset whose samples are two numbers gets a decision plot. */
export function isTwoFeature(featureShape: readonly number[]): boolean {
  return featureShape.length === 1 && featureShape[0] === 2;
}

/** Shape check for a regions file read back from disk (an artifact could be damaged or from elsewhere). */
export function isDecisionRegions(v: unknown): v is DecisionRegions {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<DecisionRegions>;
  const nums = (a: unknown, n?: number) => Array.isArray(a) && (n === undefined || a.length === n) && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!nums(r.x, 2) || !nums(r.y, 2) || typeof r.size !== 'number' || !Number.isInteger(r.size) || r.size < 2 || r.size > 512) return false;
  const cells = r.size * r.size;
  if (!nums(r.cls, cells) || !nums(r.conf, cells)) return false;
  const t = r.train;
  const h = r.held;
  if (!t || !nums(t.x) || !nums(t.y, t.x.length) || !nums(t.label, t.x.length)) return false;
  if (!h || (h.split !== 'test' && h.split !== 'validation') || !nums(h.x) || !nums(h.y, h.x.length) || !nums(h.label, h.x.length) || !nums(h.predicted, h.x.length)) return false;
  return true;
}
