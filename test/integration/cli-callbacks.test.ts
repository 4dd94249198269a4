/**
 * Chapters 7-3 and 8 from the command line: early stopping with a best-only checkpoint (the run
 * keeps its best epoch: scores, saved model and test evaluation agree), the saved model evaluated
 * again and continued, and the book's CNN trained on a few hundred real images.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { tempHome } from '../helpers/home.js';

describe('callbacks, saved models and the book\'s CNN from the CLI', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);
  let first: Record<string, unknown>;
  let firstEpochs: Array<Record<string, unknown>>;

  it('stops early (a min_delta no epoch can reach, patience 1) and keeps the best epoch by the checkpoint', () => {
    const r = layerlab(['train', '--preset', 'book-dropout', '--limit', '1500', '--epochs', '8', '--patience', '1', '--min-delta', '5', '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    firstEpochs = lines.filter((l) => l.type === 'epoch');
    first = lines.find((l) => l.type === 'result')!;
    // Epoch 1 sets the best; epoch 2 is one without improvement; patience 1 ends it there.
    expect(firstEpochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(first.stoppedEpoch).toBe(2);
    const losses = firstEpochs.map((e) => e.valLoss as number);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    expect(first.bestEpoch).toBe(best);
    expect(first.modelEpoch).toBe(best);
    expect(first.valAccuracy).toBe(firstEpochs[best - 1].valAccuracy);
    expect(first.testAccuracy as number).toBeGreaterThan(0.6);
  });

  it('evaluates the saved model again to the same test accuracy (the checkpoint is the kept model)', () => {
    const r = layerlab(['runs', 'evaluate', first.runId as string, '--json'], home);
    expect(r.code).toBe(0);
    const ev = JSON.parse(r.stdout) as { split: string; accuracy: number; count: number };
    expect(ev.split).toBe('test');
    expect(ev.accuracy).toBeCloseTo(first.testAccuracy as number, 6);
  });

  it('continues training from the saved model, which starts where the first run ended', () => {
    const r = layerlab(['train', '--continue', first.runId as string, '--epochs', '1', '--json'], home);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const epoch = lines.find((l) => l.type === 'epoch')!;
    // A fresh start's first epoch has a far higher loss than an epoch from trained weights.
    expect(epoch.loss as number).toBeLessThan(firstEpochs[0].loss as number);
    const result = lines.find((l) => l.type === 'result')!;
    const show = layerlab(['runs', 'show', result.runId as string], home);
    expect(show.stdout).toContain(`continued from ${first.runId as string}`);
    const bad = layerlab(['train', '--continue', result.runId as string, '--preset', 'book-relu'], home);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--continue trains the run's own model/);
  });

  it('says what to do when a run kept no model', () => {
    const r = layerlab(['train', '--preset', 'book-relu', '--limit', '300', '--epochs', '1', '--json'], home);
    const id = jsonLines(r.stdout).find((l) => l.type === 'result')!.runId as string;
    const ev = layerlab(['runs', 'evaluate', id], home);
    expect(ev.code).toBe(2);
    expect(ev.stderr).toMatch(/kept no model: train with --save-model/);
  });

  it('trains the book\'s CNN on 600 real images well above chance', () => {
    const r = layerlab(['train', '--preset', 'book-cnn', '--limit', '600', '--epochs', '2', '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = jsonLines(r.stdout).find((l) => l.type === 'result')!;
    expect(result.epochs).toBe(2);
    expect(result.valAccuracy as number).toBeGreaterThan(0.5);
    expect(result.testAccuracy as number).toBeGreaterThan(0.5);
  });
});
