/**
 * Issue 12, end to end against the real `layerlab serve`: a file imported without naming a
 * server path (the picker, a drop, a folder), the same content recognised on the second import,
 * and a 2-feature run's decision regions with its mistakes on the plot. Screenshots at 1280 and
 * 1024 px in English and Korean go to test/e2e/screenshots/. Any console error fails the run.
 */
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../helpers/build.js';
import { WsClient } from '../helpers/ws-client.js';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { Shell } from './pages/shell.js';
import { DataPage } from './pages/data.js';

const FIX = join(ROOT, 'test', 'fixtures');

describe('importing by upload, and a 2D run’s decision regions', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: WsClient;
  let shell: Shell;
  let data: DataPage;

  beforeAll(async () => {
    served = await startServer();
    ({ browser, page, errors } = await openApp(served.url));
    client = await WsClient.connect(served.wsUrl);
    shell = new Shell(page);
    data = new DataPage(page);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  });

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await served?.stop();
  });

  const imported = async () => (await client.invoke('datasets:list', {})).filter((d) => d.kind === 'imported');

  it('uploads a file chosen with the picker and imports it', async () => {
    await data.choose(join(FIX, 'csv', 'iris.csv'));
    await expect(page.getByTestId('import-chosen').textContent()).resolves.toBe('iris.csv, 846 B ×');
    const r = await data.submit();
    expect(r).toEqual({ ok: true, text: 'Imported “iris”: 30 samples.' });
    await data.row('iris').waitFor();
    expect((await imported()).map((d) => [d.name, d.trainCount, d.classNames.join(',')])).toEqual([['iris', 30, 'setosa,versicolor,virginica']]);
  });

  it('recognises the same content dropped under another name, and adds nothing', async () => {
    await data.drop([{ name: 'flowers.csv', text: readFileSync(join(FIX, 'csv', 'iris.csv'), 'utf8') }]);
    const r = await data.submit('flowers');
    expect(r).toEqual({ ok: true, text: 'Already imported as “iris” (30 samples): using it.' });
    expect(await imported()).toHaveLength(1);
  });

  it('uploads a folder of class folders chosen with the folder picker', async () => {
    await data.choose(join(FIX, 'images', 'gray'), { folder: true });
    await expect(page.getByTestId('import-chosen').textContent()).resolves.toMatch(/^gray: 6 files, /);
    const r = await data.submit();
    expect(r).toEqual({ ok: true, text: 'Imported “gray”: 6 samples.' });
    expect((await imported()).find((d) => d.name === 'gray')?.classNames).toEqual(['circle', 'square']);
    await screenshot(page, 'import-upload-1280-en');
  });

  it('draws a 2D run’s decision regions, its mistakes ringed on the plot, in both languages and widths', async () => {
    const d = await client.invoke('datasets:generate', { kind: 'spiral', samples: 300, noise: 0.1, seed: 4 });
    const spec = {
      inputShape: [2],
      layers: [{ type: 'dense', units: 12, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }],
      optimizer: { type: 'adam', learningRate: 0.03 }, training: { epochs: 8, batchSize: 16, seed: 1 },
    };
    const { runIds: [id] } = await client.invoke('runs:start', { spec, datasetId: d.id, name: 'spiral-2d' });
    expect((await client.waitFor('runs:finished', (e) => e.runId === id)).status).toBe('completed');
    const regions = (await client.invoke('runs:regions', { id }))!;
    const wrong = regions.held.label.filter((l, i) => l !== regions.held.predicted[i]).length;
    expect(wrong).toBeGreaterThan(0);

    await shell.go('Runs');
    await page.getByRole('button', { name: 'Open spiral-2d' }).click();
    const plot = page.getByTestId('regions').getByTestId('decision-plot');
    await plot.waitFor();
    expect(await plot.evaluate((e) => ({ ...(e as HTMLElement).dataset }))).toMatchObject({ regions: 'yes', points: '300', misclassified: String(wrong) });
    await expect(page.getByTestId('mis-on-plot').textContent()).resolves.toBe(`${wrong} misclassified; they are ringed on the plot above.`);
    // The canvas holds the regions: its pixels are not all one colour.
    const colours = await plot.locator('canvas').evaluate((c) => {
      const cv = c as HTMLCanvasElement;
      const px = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      const seen = new Set<string>();
      for (let i = 0; i < px.length; i += 4 * 97) seen.add(`${px[i] >> 4},${px[i + 1] >> 4},${px[i + 2] >> 4}`);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(8);

    for (const lang of ['en', 'ko'] as const) {
      if (lang === 'ko') await shell.setLanguage('ko');
      for (const width of [1280, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await page.getByTestId('regions').scrollIntoViewIfNeeded();
        await screenshot(page, `regions-${width}-${lang}`);
      }
    }
    await expect(page.getByTestId('regions').getByRole('heading').textContent()).resolves.toBe('결정 영역');
    await shell.go('Data');
    await page.locator(`[data-dataset="${d.id}"] button.link`).click();
    await page.getByTestId('preview').getByTestId('decision-plot').waitFor();
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, `data-2d-${width}-ko`);
    }
    await shell.setLanguage('en');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('takes back its own run export (a download) without adding a run', async () => {
    await shell.go('Runs');
    const before = (await client.invoke('runs:list', {})).length;
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export spiral-2d' }).click()]);
    const buffer = readFileSync(await download.path());
    await page.getByTestId('run-file-input').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer });
    await expect(page.getByTestId('runs-message').filter({ hasText: 'already here' }).textContent()).resolves.toMatch(/^This run is already here: “spiral-2d” \(.+\)\. Nothing was added\.$/);
    expect(await client.invoke('runs:list', {})).toHaveLength(before);
  });

  it('logged no console or page errors', () => {
    expect(errors).toEqual([]);
  });
});
