/** Shared setup for the store tests: a fresh data folder, a small spec, plausible epochs. */
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ModelSpec } from '../../../src-main/shared/spec.js';
import type { EpochRecord, EvaluationRecord } from '../../../src-main/shared/runs.js';

export function tempHome(prefix = 'layerlab-store-'): string {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'home');
}

export const SPEC = ModelSpec.parse({
  inputShape: [28, 28],
  layers: [{ type: 'flatten' }, { type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }],
});

export function epoch(n: number, over: Partial<EpochRecord> = {}): EpochRecord {
  return { epoch: n, loss: 1 / n, accuracy: 0.5 + n / 100, valLoss: 1.1 / n, valAccuracy: 0.45 + n / 100, seconds: 2 + n / 10, samplesPerSecond: 1000 * n, ...over };
}

export const EVALUATION: EvaluationRecord = {
  split: 'test', count: 4, loss: 0.42, accuracy: 0.75,
  confusion: [[2, 0], [1, 1]],
  misclassified: [{ index: 2, label: 1, predicted: 0, confidence: 0.8 }],
};

/** Every file under a folder, relative to it, sorted: to see that nothing else was left. */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}
