/**
 * Issue 6, end to end against the real `layerlab serve`: build a model in the editor, train it on a
 * small synthetic set, check the curves hold the numbers the service computed, train a variant,
 * compare the two, import a CSV (and a bad path), switch to Korean. Screenshots of every view go to
 * test/e2e/screenshots/. Any console error fails the run.
 */
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../helpers/build.js';
import { WsClient } from '../helpers/ws-client.js';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { serveMirror, type Mirror } from '../helpers/mirror.js';
import { Shell } from './pages/shell.js';
import { DataPage } from './pages/data.js';
import { ModelPage } from './pages/model.js';
import { TrainPage } from './pages/train.js';
import { RunsPage } from './pages/runs.js';

const CSV = join(ROOT, 'test', 'fixtures', 'e2e', 'flowers-mini.csv');

describe('Layerlab in the browser', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: WsClient;
  let shell: Shell;
  let mirror: Mirror;
  const runIds: string[] = [];

  beforeAll(async () => {
    // A dataset mirror that offers Fashion-MNIST's files under MNIST's names, slowly: the download
    // shows its progress, then the check refuses the data.
    const gz = (n: string) => readFileSync(join('/usr/share/datasets/fashion-mnist', `${n}.gz`));
    mirror = await serveMirror({ 'train-images-idx3-ubyte.gz': gz('train-images-idx3-ubyte') }, {
      slow: { 'train-images-idx3-ubyte.gz': { chunk: 1 << 20, pauseMs: 200 } },
    });
    served = await startServer({ LAYERLAB_DATASET_MIRROR: mirror.url });
    ({ browser, page, errors } = await openApp(served.url));
    page.on('dialog', (d) => void d.accept());
    client = await WsClient.connect(served.wsUrl);
    shell = new Shell(page);
  });

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await served?.stop();
    await mirror?.close();
  });

  it('has the four places as links, and keeps the token out of the address bar', async () => {
    for (const place of ['Data', 'Model', 'Train', 'Runs'] as const) await expect(shell.link(place).count()).resolves.toBe(1);
    expect(page.url()).not.toContain('token=');
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  });

  it('generates a spiral set and previews it', async () => {
    await shell.go('Data');
    const data = new DataPage(page);
    await data.generate('spiral', 400, 'spiral-e2e');
    await data.row('spiral-e2e').waitFor();
    await data.show('spiral-e2e');
    await page.getByTestId('preview').locator('table').first().waitFor();
    await screenshot(page, '01-data');
  });

  it('builds a model in the editor with a live summary and field errors', async () => {
    await shell.go('Model');
    const model = new ModelPage(page);
    await model.setInputShape('2');
    await model.removeLayer(1); // Flatten: a row of 2 needs none
    await model.setUnits(1, 16);
    await model.setActivation(1, 'relu');
    await model.setUnits(2, 0);
    await expect(model.validity().getAttribute('class')).resolves.toContain('error');
    await expect(page.locator('#' + (await model.layer(2).getByLabel('Units').getAttribute('aria-describedby'))).textContent()).resolves.toContain('Must be at least 1.');
    await model.setUnits(2, 2);
    await model.setTraining('Epochs', 2);
    await model.setTraining('Batch size', 16);
    // 2·16 + 16 + 16·2 + 2
    await expect(model.totalParams()).resolves.toContain('82');
    await screenshot(page, '02-model');
  });

  async function trainOnce(name: string): Promise<string> {
    await shell.go('Train');
    const train = new TrainPage(page);
    const before = (await train.live().count()) ? await train.runId() : null;
    await train.start('spiral-e2e', name);
    // The panel shows the new run once runs:start answers; the old one may still be on screen.
    await page.waitForFunction((old) => {
      const id = document.querySelector('[data-testid="run-live"]')?.getAttribute('data-run-id');
      return !!id && id !== old;
    }, before);
    expect(await train.waitForEnd()).toBe('completed');
    const id = await train.runId();
    const detail = await client.invoke('runs:show', { id });
    expect(detail.epochs).toHaveLength(2);
    // The curves plot exactly the service's numbers: train and validation, loss and accuracy.
    const [loss, acc] = await train.plotted();
    const byLabel = (s: { label: string; points: [number, number][] }[], l: string) => s.find((x) => x.label === l)!.points;
    expect(byLabel(loss, 'train')).toEqual(detail.epochs.map((e) => [e.epoch, e.loss]));
    expect(byLabel(loss, 'validation')).toEqual(detail.epochs.map((e) => [e.epoch, e.valLoss]));
    expect(byLabel(acc, 'train')).toEqual(detail.epochs.map((e) => [e.epoch, e.accuracy]));
    expect(byLabel(acc, 'validation')).toEqual(detail.epochs.map((e) => [e.epoch, e.valAccuracy]));
    for (const e of detail.epochs) {
      for (const v of [e.loss, e.accuracy, e.valLoss, e.valAccuracy]) expect(Number.isFinite(v)).toBe(true);
      expect(e.accuracy).toBeGreaterThan(0);
    }
    const rows = await train.epochRows();
    expect(rows.map((r) => r[4])).toEqual(detail.epochs.map((e) => Number(e.valAccuracy.toFixed(4))));
    // The evaluation shown is the service's.
    const shown = Number(await page.getByTestId('test-accuracy').getAttribute('data-value'));
    expect(shown).toBe(detail.evaluation!.accuracy);
    return id;
  }

  it('trains two epochs and shows the service’s numbers in the curves, the table and the evaluation', async () => {
    runIds.push(await trainOnce('relu-e2e'));
    await page.getByTestId('backend').waitFor();
    await screenshot(page, '03-train');
    await page.getByTestId('evaluation').scrollIntoViewIfNeeded();
    await screenshot(page, '04-evaluate');
  });

  it('trains a second variant (sigmoid hidden layer)', async () => {
    await shell.go('Model');
    await new ModelPage(page).setActivation(1, 'sigmoid');
    runIds.push(await trainOnce('sigmoid-e2e'));
  });

  it('lists, renames, exports and compares the two runs', async () => {
    await shell.go('Runs');
    const runs = new RunsPage(page);
    await runs.row('sigmoid-e2e').waitFor();
    const list = await client.invoke('runs:list', {});
    const relu = list.find((r) => r.name === 'relu-e2e')!;
    await expect(runs.row('relu-e2e').locator('[data-metric="valAccuracy"]').textContent()).resolves.toBe(relu.valAccuracy!.toFixed(4));
    await runs.rename('relu-e2e', 'relu-e2e-renamed', 'book, e2e');
    await runs.row('relu-e2e-renamed').waitFor();
    expect((await client.invoke('runs:show', { id: relu.id })).tags).toEqual(['book', 'e2e']);
    // Browser mode: the export arrives as a download of this browser, not a path on the server.
    const [download, said] = await Promise.all([page.waitForEvent('download'), runs.exportRun('relu-e2e-renamed')]);
    expect(said).toMatch(new RegExp(`Downloaded ${relu.id}\\.layerlab-run\\.json \\([\\d,]+ bytes\\)`));
    expect(download.suggestedFilename()).toBe(`${relu.id}.layerlab-run.json`);
    expect((JSON.parse(readFileSync(await download.path(), 'utf8')) as { run: { id: string } }).run.id).toBe(relu.id);
    await runs.select('relu-e2e-renamed');
    await runs.select('sigmoid-e2e');
    await runs.compare();
    const rows = await runs.compareRows();
    expect(rows).toHaveLength(2);
    const cmp = await client.invoke('compare:runs', { ids: runIds });
    // Same numbers to the 3 digits shown (the page rounds in the browser's locale).
    rows.forEach((r, i) => expect(Math.abs(Number(r[3]) - cmp.groups[i].final.valAccuracy.mean!)).toBeLessThanOrEqual(0.0005 + 1e-9));
    await expect(page.getByTestId('spec-diff').textContent()).resolves.toMatch(/Dense\(\d+, relu\) → Dense\(\d+, sigmoid\)/);
    await page.getByTestId('verdict').first().waitFor();
    await page.getByTestId('comparison').scrollIntoViewIfNeeded();
    await screenshot(page, '05-compare');
  });

  it('runs an experiment (two activations × two seeds) and still lists it after a reload', async () => {
    await shell.go('Runs');
    const panel = page.getByRole('region', { name: 'Experiment' });
    await panel.getByLabel('Experiment name').fill('act-e2e');
    await panel.getByLabel('Field to vary').selectOption('layers.0.activation');
    await panel.getByLabel('Values').fill('sigmoid, relu');
    await panel.getByLabel('Seeds per variant').fill('2');
    await panel.getByLabel('Dataset').selectOption({ label: 'spiral-e2e' });
    await panel.getByRole('button', { name: 'Start experiment' }).click();
    const status = panel.getByTestId('experiment').filter({ hasText: 'act-e2e: 4 of 4 runs finished' });
    await status.waitFor({ timeout: 60_000 });
    await page.reload();
    await shell.go('Runs');
    await status.waitFor();
    await status.getByRole('button', { name: 'Compare its groups' }).click();
    await page.getByTestId('verdict').first().waitFor();
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, '05b-experiment');
  });

  it('imports a CSV with progress, and names the file when an import fails', async () => {
    await shell.go('Data');
    const data = new DataPage(page);
    const ok = await data.import(CSV, 'flowers-e2e');
    expect(ok.ok, ok.text).toBe(true);
    await data.row('flowers-e2e').waitFor();
    await data.show('flowers-e2e');
    const missing = join(ROOT, 'test', 'fixtures', 'e2e', 'nope.csv');
    const bad = await data.import(missing);
    expect(bad.ok).toBe(false);
    expect(bad.text).toContain('nope.csv');
    await screenshot(page, '06-import');
  });

  it('downloads a catalog dataset with a progress bar, and shows why the data was refused', async () => {
    await shell.go('Data');
    const mnist = page.getByTestId('datasets').locator('tr[data-dataset="mnist"]');
    await mnist.getByRole('button', { name: 'Download MNIST' }).click();
    await page.getByRole('progressbar', { name: 'Download MNIST' }).waitFor();
    // Read in the page, in one go: the bar moves on while a test looks at it.
    const text = await page.waitForFunction(() => {
      const bar = document.querySelector('[data-testid="download-mnist"] [role="progressbar"]');
      return Number(bar?.getAttribute('aria-valuenow')) >= 20 ? bar!.getAttribute('aria-valuetext') : null;
    }).then((h) => h.jsonValue());
    // 25.2 MB from the mirror + what MNIST publishes for the other three files.
    expect(text).toMatch(/^(Downloading|Checking) \d+\.\d \/ 26\.8 MB$/);
    await page.getByTestId('download-mnist').scrollIntoViewIfNeeded();
    await screenshot(page, '06b-download');
    const alert = page.getByTestId('download-mnist').getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    await expect(alert.textContent()).resolves.toMatch(/train-images-idx3-ubyte\.gz: its data has sha256 c59f468a2f67…, not the published ba891046e650…, so it is not MNIST's/);
    await expect(mnist.textContent()).resolves.toContain('missing');
  });

  it('speaks Korean, remembers it, and the links are found by their Korean names', async () => {
    await shell.setLanguage('ko');
    for (const place of ['Data', 'Model', 'Train', 'Runs'] as const) await expect(shell.link(place).count()).resolves.toBe(1);
    await shell.go('Model');
    await expect(page.getByText('활성화 함수').first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('옵티마이저').first().isVisible()).resolves.toBe(true);
    await screenshot(page, '07-model-ko');
    await page.reload();
    await shell.go('Runs');
    await expect(page.getByRole('columnheader', { name: '검증 세트 점수' }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole('columnheader', { name: '훈련 세트 점수' }).first().isVisible()).resolves.toBe(true);
    await screenshot(page, '08-runs-ko');
    await shell.go('Train');
    await screenshot(page, '09-train-ko');
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
