/**
 * How `layerlab train` starts (docs/architecture.md, "Start-up"): the trainer the CLI forks before
 * loading itself is the one that trains the run (no second trainer), a command that ends before
 * training leaves no trainer behind, and the lines that decide which commands fork one ahead.
 * Phases are read from LAYERLAB_TRACE's marks; nothing here is timed.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { layerlabAsync } from './../helpers/cli.js';
import { tempHome } from '../helpers/home.js';
import { trainsHere } from '../../src-main/cli/prestart.js';

const { home, cleanup } = tempHome();
afterAll(cleanup);

/** The trace's lines as [pid, label]. */
function marks(file: string): [number, string][] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => {
    const [, pid, ...label] = l.split(' ');
    return [Number(pid), label.join(' ')];
  });
}

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('layerlab train starts its trainer ahead', () => {
  it('trains in the trainer it forked before loading itself, and in no other', async () => {
    const trace = join(home, 'trace-run.txt');
    const r = await layerlabAsync(['train', '--preset', 'book-relu', '--limit', '200', '--epochs', '1', '--json'], home, { LAYERLAB_TRACE: trace });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"type":"result"');
    const m = marks(trace);
    const trainers = m.filter(([, l]) => l === 'process start (trainer.js)').map(([pid]) => pid);
    expect(trainers).toHaveLength(1);
    expect(m.find(([, l]) => l.startsWith('node host: prestart trainer'))?.[1]).toBe(`node host: prestart trainer (pid ${trainers[0]})`);
    expect(m.some(([, l]) => l === 'node host: took the prestarted trainer')).toBe(true);
    expect(m.some(([, l]) => l.startsWith('node host: fork'))).toBe(false);
    // The run's own trainer read only the run's rows once the data folder had Fashion-MNIST unpacked
    // (the first run unpacks it): a second run shows it.
    const again = join(home, 'trace-again.txt');
    expect((await layerlabAsync(['train', '--preset', 'book-relu', '--limit', '200', '--epochs', '1'], home, { LAYERLAB_TRACE: again })).code).toBe(0);
    expect(marks(again).some(([, l]) => l === "trainer: dataset opened (the run's rows only)")).toBe(true);
    rmSync(trace);
    rmSync(again);
  });

  it('leaves no trainer behind when the command fails before any run', async () => {
    const trace = join(home, 'trace-fail.txt');
    const r = await layerlabAsync(['train', '--preset', 'no-such-preset'], home, { LAYERLAB_TRACE: trace });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown preset 'no-such-preset'/);
    const spare = marks(trace).map(([, l]) => /^node host: prestart trainer \(pid (\d+)\)$/.exec(l)).find((x) => x !== null);
    expect(spare).toBeDefined();
    // Its trainer goes with it: its channel closes (or, mid-load, its parent watch fires within 250 ms).
    const pid = Number(spare![1]);
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(alive(pid)).toBe(false);
  });

  it('forks ahead only for a local train', () => {
    expect(trainsHere(['train', '--preset', 'book-relu'])).toBe(true);
    expect(trainsHere(['train', '--backend', 'native'])).toBe(true);
    expect(trainsHere(['train', '--backend=wasm'])).toBe(true);
    expect(trainsHere(['train', '--backend', 'webgpu'])).toBe(false);
    expect(trainsHere(['train', '--backend=webgl'])).toBe(false);
    expect(trainsHere(['train', '--redis', 'redis://127.0.0.1:6379'])).toBe(false);
    expect(trainsHere(['train', '--help'])).toBe(false);
    expect(trainsHere(['runs', 'list'])).toBe(false);
    expect(trainsHere([])).toBe(false);
  });
});
