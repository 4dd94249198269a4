/**
 * The desktop app end to end: launch the built app in Electron (playwright-core's _electron), make a
 * small synthetic dataset through the preload's window.api, train one epoch and check that a finite
 * loss reached the page. Runs wherever the Electron binary is installed; elsewhere it is skipped
 * with the reason (the binary download is not possible in every sandbox).
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';

import { electronBinary } from '../../bin/electron-check.js';

// Not require('electron'): since Electron 42 that starts the binary's download when it is missing.
const binary = electronBinary();
const built = existsSync('out/main/index.js') && existsSync('out/preload/index.cjs') && existsSync('out/renderer/index.html');
const reason = !binary ? 'the Electron binary is not installed (node_modules/electron/dist)' : !built ? 'the app is not built (npm run build)' : '';
if (reason) console.log(`electron-smoke skipped: ${reason}`);

interface PageApi {
  invoke(channel: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
declare const window: { api: PageApi; require?: unknown; process?: unknown; location: { origin: string } };

describe('desktop app (Electron)', () => {
  it.skipIf(Boolean(reason))(`launches, trains one epoch, shows a finite loss${reason ? ` (skipped: ${reason})` : ''}`, async () => {
    const home = mkdtempSync(join(tmpdir(), 'layerlab-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.'],
      env: { ...process.env, LAYERLAB_HOME: home, ELECTRON_RENDERER_URL: '' } as Record<string, string>,
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');

      // Served from app://, sandboxed, no Node in the page.
      const where = await page.evaluate(() => ({ origin: window.location.origin, require: typeof window.require, process: typeof window.process, api: Object.keys(window.api).sort() }));
      expect(where).toEqual({ origin: 'app://layerlab', require: 'undefined', process: 'undefined', api: ['invoke', 'on', 'pickFile', 'pickFolder', 'selectRun'] });

      const losses = await page.evaluate(async () => {
        const dataset = await window.api.invoke('datasets:generate', { kind: 'spiral', samples: 300, seed: 1 }) as { id: string; classNames: string[]; featureShape: number[] };
        const epochs: number[] = [];
        const finished = new Promise<{ status: string; error: string | null }>((resolve) => {
          window.api.on('runs:epoch', (e) => { epochs.push((e as { loss: number }).loss); });
          window.api.on('runs:finished', (e) => {
            const { status, error } = e as { status: string; error: string | null };
            resolve({ status, error });
          });
        });
        await window.api.invoke('runs:start', {
          datasetId: dataset.id,
          name: 'electron smoke',
          spec: {
            inputShape: dataset.featureShape,
            layers: [{ type: 'dense', units: 16, activation: 'relu' }, { type: 'dense', units: dataset.classNames.length, activation: 'softmax' }],
            optimizer: { type: 'adam' },
            training: { epochs: 1, batchSize: 32, validationSplit: 0.2, seed: 1 },
          },
        });
        return { finished: await finished, epochs };
      });
      expect(losses.finished).toEqual({ status: 'completed', error: null });
      expect(losses.epochs).toHaveLength(1);
      expect(Number.isFinite(losses.epochs[0])).toBe(true);
      expect(losses.epochs[0]).toBeGreaterThan(0);
    } finally {
      // Quit through the app so the service closes the store like a user's quit would.
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 180_000);
});
