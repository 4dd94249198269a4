/**
 * The book's lesson, end to end through the built CLI: book-sigmoid and book-relu, 3 seeds each,
 * 5 epochs, the full Fashion-MNIST training split (48,000 / 12,000), then `layerlab compare`.
 * The book reports sigmoid train 0.880 / val 0.871 and relu train 0.887 / val 0.873 (Keras, one
 * run each); every run here must land near those, and the comparison must say the two are not
 * told apart by three seeds when they are within each other's spread.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';

interface RunRow { id: string; name: string; group: string; seed: number; status: string; trainAccuracy: number; valAccuracy: number; epochsDone: number }
interface GroupStats { label: string; runIds: string[]; final: { valAccuracy: { mean: number; sd: number }; trainAccuracy: { mean: number; sd: number } } }

describe('the book’s six-run comparison (sigmoid vs relu, 3 seeds, 5 epochs, full data)', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  const groups: Record<string, string> = {};
  let runs: RunRow[] = [];

  beforeAll(() => {
    for (const preset of ['book-sigmoid', 'book-relu']) {
      const r = layerlab(['train', '--preset', preset, '--repeat', '3', '--json'], home, 600_000);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const results = jsonLines(r.stdout).filter((l) => l.type === 'result');
      expect(results).toHaveLength(3);
      // The default ladder trains the book's models on the native rung.
      expect(results.map((l) => l.backend)).toEqual(['native', 'native', 'native']);
      expect(new Set(results.map((l) => l.group)).size).toBe(1);
      groups[preset] = results[0].group as string;
    }
    runs = JSON.parse(layerlab(['runs', 'list', '--json'], home).stdout) as RunRow[];
  }, 900_000);

  it('keeps six completed runs of five epochs, seeds 1 to 3 in each group', () => {
    expect(runs).toHaveLength(6);
    for (const [preset, group] of Object.entries(groups)) {
      const members = runs.filter((r) => r.group === group);
      expect(members.map((r) => r.seed).sort()).toEqual([1, 2, 3]);
      expect(members.every((r) => r.status === 'completed' && r.epochsDone === 5 && r.name.startsWith(preset))).toBe(true);
    }
  });

  it('lands every run on the book’s numbers (train ≈ 0.88, val ≈ 0.87)', () => {
    for (const r of runs) {
      expect(r.trainAccuracy, r.name).toBeGreaterThan(0.86);
      expect(r.trainAccuracy, r.name).toBeLessThan(0.90);
      expect(r.valAccuracy, r.name).toBeGreaterThan(0.855);
      expect(r.valAccuracy, r.name).toBeLessThan(0.895);
    }
  });

  it('compare --json carries each group’s mean ± sd, computed from its runs', () => {
    const r = layerlab(['compare', groups['book-sigmoid'], groups['book-relu'], '--json'], home);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as { groups: GroupStats[]; verdict: { pValue: number | null; difference: number | null; reason: string } | null };
    expect(c.groups.map((g) => g.label)).toEqual(['book-sigmoid', 'book-relu']);
    for (const g of c.groups) {
      const vals = runs.filter((x) => g.runIds.includes(x.id)).map((x) => x.valAccuracy);
      expect(vals).toHaveLength(3);
      const mean = vals.reduce((a, b) => a + b, 0) / 3;
      const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / 2);
      expect(g.final.valAccuracy.mean).toBeCloseTo(mean, 10);
      expect(g.final.valAccuracy.sd).toBeCloseTo(sd, 10);
    }
    expect(c.verdict).not.toBeNull();
    expect(c.verdict!.reason).toBe('compared');
    expect(c.verdict!.difference).toBeCloseTo(c.groups[1].final.valAccuracy.mean - c.groups[0].final.valAccuracy.mean, 10);
    expect(c.verdict!.pValue).toBeGreaterThan(0);
  });

  it('compare prints the book’s table per group, the models side by side, and a verdict', () => {
    const r = layerlab(['compare', groups['book-sigmoid'], groups['book-relu']], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^book-sigmoid\s+3\s+0\.8\d\d ± 0\.0\d\d\s+0\.8\d\d ± 0\.0\d\d/m);
    expect(r.stdout).toMatch(/^book-relu\s+3\s+0\.8\d\d ± 0\.0\d\d\s+0\.8\d\d ± 0\.0\d\d/m);
    expect(r.stdout).toContain('book-sigmoid  784 → Dense(100, sigmoid) → Dense(10, softmax)');
    expect(r.stdout).toContain('book-relu     28×28 → Flatten → Dense(100, relu) → Dense(10, softmax)');
    // The verdict names both groups, the difference in points, a confidence interval and p.
    expect(r.stdout).toMatch(/book-relu − book-sigmoid: [+−]\d+\.\d pp val accuracy, 95% CI [+−]?\d+\.\d to [+−]?\d+\.\d, p = [\d.]+: /);
  });
});
