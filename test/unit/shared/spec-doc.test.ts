/**
 * docs/spec.md stays true: every JSON example on it parses as a model spec, the full example is the
 * book-cnn preset's model, and the parameter count the page states is the one summary computes.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelSpec, describeSpecErrors, LAYER_TYPES, OPTIMIZER_TYPES } from '../../../src-main/shared/spec.js';
import { findPreset } from '../../../src-main/shared/presets.js';
import { summarize } from '../../../src-main/shared/summary.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'spec.md'), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]) as unknown);

describe('docs/spec.md', () => {
  it('every example parses as a model spec', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const e of examples) {
      const r = parseModelSpec(e);
      expect(r.ok, r.ok ? '' : describeSpecErrors(r.errors)).toBe(true);
    }
  });

  it("the full example is the book-cnn preset's model, with the parameter count the page states", () => {
    const r = parseModelSpec(examples[examples.length - 1]);
    if (!r.ok) throw new Error(describeSpecErrors(r.errors));
    const preset = findPreset('book-cnn')!.spec;
    expect(r.spec.layers).toEqual(preset.layers);
    expect(r.spec.optimizer).toEqual(preset.optimizer);
    expect(r.spec.training.earlyStopping).toEqual(preset.training.earlyStopping);
    const stated = Number(/and ([\d,]+) parameters/.exec(doc)![1].replace(/,/g, ''));
    expect(summarize(r.spec).totalParams).toBe(stated);
  });

  it('names every layer type and every optimizer the schema knows', () => {
    for (const t of LAYER_TYPES) expect(doc).toContain(`\`${t}\``);
    for (const t of OPTIMIZER_TYPES) expect(doc).toContain(`\`${t}\``);
  });
});
