/**
 * Crash safety with a real process: a writer is SIGKILLed at several moments (before, between and
 * during per-epoch commits and artifact writes); every time, the database must be intact, the run
 * interrupted, and every epoch the writer reported committed must be there, numbered 1..n.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, INTERRUPTED_RUNNING } from '../../../src-main/store/runs.js';
import { databasePath } from '../../../src-main/store/db.js';
import { tempHome } from '../../unit/store/helpers.js';

const WRITER = join(import.meta.dirname, '../../fixtures/store/epoch-writer.ts');

/** When to kill: after the writer reports `epochs` epochs, then `delayMs` later. */
interface Moment { epochs: number; delayMs: number }

/** Runs the writer until the moment, kills it; returns its run id and the last epoch it reported. */
function runAndKill(home: string, moment: Moment): Promise<{ runId: string; reported: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let runId = '';
    let reported = 0;
    let killing = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [word, value] = line.split(' ');
      if (word === 'run') runId = value;
      if (word === 'epoch') reported = Number(value);
      if (!killing && runId && reported >= moment.epochs) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), moment.delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code}): ${stderr}`));
      else resolve({ runId, reported });
    });
  });
}

describe('store crash safety (SIGKILL during training)', () => {
  it('keeps the database intact and every committed epoch, at every kill moment', async () => {
    const home = tempHome('layerlab-crash-');
    const moments: Moment[] = [
      { epochs: 0, delayMs: 0 }, { epochs: 1, delayMs: 0 }, { epochs: 4, delayMs: 0 },
      { epochs: 5, delayMs: 1 }, { epochs: 10, delayMs: 7 }, { epochs: 20, delayMs: 40 },
    ];
    const seen: string[] = [];
    for (const moment of moments) {
      const { runId, reported } = await runAndKill(home, moment);
      expect(runId).not.toBe('');
      seen.push(runId);

      const raw = new Database(databasePath(home));
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      raw.close();

      const store = openStore(home);
      expect(store.recoverInterrupted()).toEqual([runId]);
      const run = store.getRun(runId)!;
      expect(run.status).toBe('interrupted');
      expect(run.error).toBe(INTERRUPTED_RUNNING);
      const numbers = run.epochs.map((e) => e.epoch);
      // Every reported epoch is there; at most the one committed but not yet printed is extra.
      expect(numbers.length).toBeGreaterThanOrEqual(reported);
      expect(numbers.length).toBeLessThanOrEqual(reported + 1);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
      // Artifact rows name whole files; nothing half-placed is left after recovery.
      for (const a of run.artifacts) {
        const bytes = readFileSync(join(home, a.path));
        expect(bytes.byteLength).toBe(a.bytes);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
      }
      const folder = join(home, 'runs', runId);
      if (existsSync(folder)) expect(readdirSync(folder).filter((f) => f.startsWith('.'))).toEqual([]);
      // Earlier runs are untouched by later crashes.
      expect(store.listRuns().map((r) => r.id).sort()).toEqual([...seen].sort());
      store.close();
    }
  }, 60_000);
});
