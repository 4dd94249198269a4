/**
 * Layer statistics end to end from the CLI: a real run through the trainer process and the store,
 * `runs show --layers` (a table per layer and its reading), --json, export and import.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import type { RunDetail } from '../../src-main/shared/runs.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('layer statistics from the CLI', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  let runId = '';

  it('records them for each epoch of book-relu and prints a table per layer with its reading', () => {
    const r = layerlab(['train', '--preset', 'book-relu', '--limit', '1000', '--epochs', '2', '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    runId = jsonLines(r.stdout).find((l) => l.type === 'result')!.runId as string;
    const show = layerlab(['runs', 'show', runId, '--layers'], home);
    expect(show.code).toBe(0);
    const text = show.stdout;
    expect(text).toContain('layer statistics on 250 fixed validation samples after each epoch');
    // Flatten has none; the two Dense layers have a table each with a row per epoch.
    expect(text).not.toMatch(/layer 1: Flatten/);
    expect(text).toContain('layer 2: Dense(100, relu)');
    expect(text).toContain('layer 3: Dense(10, softmax)');
    expect(text.match(/^epoch +mean +sd +zeros +saturated +grad norm +grad\/weight$/gm)).toHaveLength(2);
    const detail = JSON.parse(layerlab(['runs', 'show', runId, '--json'], home).stdout) as RunDetail;
    const relu = detail.epochs[1].layers!.find((s) => s.index === 1)!;
    expect(relu.zeros).toBeGreaterThan(0.05);
    // The table's row and the reading are the stored numbers.
    const row = ['2', relu.mean.toFixed(3), relu.sd.toFixed(3), `${(relu.zeros * 100).toFixed(1)}%`, '-', relu.gradNorm!.toExponential(2), relu.gradRatio!.toExponential(2)];
    expect(text.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^${row.map(escape).join(' +')}$`)));
    expect(text).toContain(`epoch 2: ReLU layer: ${Math.round(relu.zeros * 100)}% of activations are exactly 0 (sparse)`);
    expect(text).toMatch(/^epoch 2: first-layer (and last-layer )?gradients are /m);
  });

  it('exports and imports them with the run', () => {
    const file = join(home, 'run.json');
    expect(layerlab(['runs', 'export', runId, '--out', file], home).code).toBe(0);
    // Into another history: into this one the run would be answered as already here.
    const other = tempHome();
    const imported = JSON.parse(layerlab(['runs', 'import', file, '--json'], other.home).stdout) as { id: string; reused?: boolean };
    expect(imported.reused).toBeUndefined();
    const a = JSON.parse(layerlab(['runs', 'show', runId, '--json'], home).stdout) as RunDetail;
    const b = JSON.parse(layerlab(['runs', 'show', imported.id, '--json'], other.home).stdout) as RunDetail;
    other.cleanup();
    expect(b.epochs.map((e) => e.layers)).toEqual(a.epochs.map((e) => e.layers));
    expect(a.epochs[0].layers).toHaveLength(2);
  });

  it('measures them on the number of samples --probe asks for, and not at all with --probe 0', () => {
    const few = layerlab(['train', '--preset', 'book-relu', '--limit', '500', '--epochs', '1', '--probe', '64', '--json'], home);
    expect(few.code, few.stderr).toBe(0);
    const fewId = jsonLines(few.stdout).find((l) => l.type === 'result')!.runId as string;
    expect((JSON.parse(layerlab(['runs', 'show', fewId, '--json'], home).stdout) as RunDetail).spec.training.probeSize).toBe(64);
    expect(layerlab(['runs', 'show', fewId, '--layers'], home).stdout).toContain('layer statistics on 64 fixed validation samples after each epoch');
    const none = layerlab(['train', '--preset', 'book-relu', '--limit', '500', '--epochs', '1', '--probe', '0', '--json'], home);
    expect(none.code, none.stderr).toBe(0);
    const noneId = jsonLines(none.stdout).find((l) => l.type === 'result')!.runId as string;
    const detail = JSON.parse(layerlab(['runs', 'show', noneId, '--json'], home).stdout) as RunDetail;
    expect(detail.epochs).toHaveLength(1);
    expect(detail.epochs[0].layers ?? null).toBeNull();
    const bad = layerlab(['train', '--preset', 'book-relu', '--probe', 'many'], home);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe("layerlab: --probe: 'many' is not a whole number of at least 0");
  });
});
