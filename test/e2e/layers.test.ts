/**
 * "Inside the layers" in the browser, against the real `layerlab serve`: book-sigmoid and
 * book-relu trained on real Fashion-MNIST (from the CLI, into the served data folder), the run's
 * panel shows the service's numbers and readings made from them, the compare view puts both side
 * by side; screenshots in English and Korean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { Shell } from './pages/shell.js';
import { layerlab, jsonLines } from '../helpers/cli.js';
import type { RunDetail } from '../../src-main/shared/runs.js';
import { activationReading, gradientReading, readingText } from '../../src-main/shared/layer-readings.js';

describe('inside the layers in the browser', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const runs: Record<string, RunDetail> = {};

  beforeAll(async () => {
    served = await startServer();
    for (const preset of ['book-sigmoid', 'book-relu']) {
      const r = layerlab(['train', '--preset', preset, '--limit', '1500', '--epochs', '3', '--json'], served.home);
      expect(r.code, r.stderr).toBe(0);
      const id = jsonLines(r.stdout).find((l) => l.type === 'result')!.runId as string;
      runs[preset] = JSON.parse(layerlab(['runs', 'show', id, '--json'], served.home).stdout) as RunDetail;
    }
    ({ browser, page, errors } = await openApp(served.url));
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows a run\'s layer statistics as the service has them, with readings made from them', async () => {
    const shell = new Shell(page);
    await shell.go('Runs');
    await page.getByRole('button', { name: 'Open book-relu' }).click();
    const panel = page.getByTestId('layers-panel');
    await panel.waitFor();
    const run = runs['book-relu'];
    const last = run.epochs[run.epochs.length - 1].layers!;
    const table = page.getByTestId('layers-panel-table');
    expect(await table.getAttribute('data-epoch')).toBe(String(run.epochs.length));
    for (const s of last) {
      const row = table.locator(`tr[data-layer="${s.index}"]`);
      for (const metric of ['mean', 'sd', 'zeros', 'saturated', 'gradNorm', 'gradRatio'] as const) {
        const shown = await row.locator(`td[data-metric="${metric}"]`).getAttribute('data-value');
        expect(shown === '' ? null : Number(shown), `${metric} of layer ${s.index}`).toBe(s[metric]);
      }
    }
    // The curves are the stored epochs: zeros % of the ReLU layer across the epochs.
    const zeros = JSON.parse((await panel.locator('figure[data-chart="zeros"] .chart').getAttribute('data-series'))!) as { label: string; points: [number, number][] }[];
    expect(zeros[0].points).toEqual(run.epochs.map((e) => [e.epoch, e.layers![0].zeros * 100]));
    const relu = last[0];
    expect(await panel.locator('[data-reading="zeros"]').textContent()).toBe(readingText(activationReading(relu)));
    expect(relu.zeros).toBeGreaterThan(0.2);
    expect(await panel.locator('[data-reading="gradNorm"]').textContent()).toBe(readingText(gradientReading(last)!));
    expect(await panel.locator('[data-reading="saturated"]').textContent()).toBe('ReLU layers have no upper limit: nothing saturates');
    // The histogram of the chosen epoch and layer: the stored counts.
    await page.getByLabel('Epoch', { exact: true }).selectOption('1');
    await page.getByLabel('Layer', { exact: true }).selectOption('2');
    const hist = panel.locator('figure[data-chart="histogram"]');
    expect(await hist.getAttribute('data-epoch')).toBe('1');
    expect(JSON.parse((await hist.getAttribute('data-counts'))!)).toEqual(run.epochs[0].layers![1].histogram.counts);
    await page.getByLabel('Layer', { exact: true }).selectOption('1');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'layers-relu-en');
    expect(errors).toEqual([]);
  });

  it('puts two runs side by side in the compare view, and says it in Korean', async () => {
    const shell = new Shell(page);
    await shell.go('Runs');
    await page.getByRole('checkbox', { name: 'Select book-sigmoid' }).check();
    await page.getByRole('checkbox', { name: 'Select book-relu' }).check();
    await page.getByRole('button', { name: /^Compare/ }).click();
    const side = page.getByTestId('compare-layers');
    await side.locator('section').nth(1).locator('[data-reading="zeros"]').waitFor();
    const texts = await side.locator('[data-reading="zeros"]').allTextContents();
    const sig = runs['book-sigmoid'].epochs.at(-1)!.layers!;
    expect(texts).toContain(readingText(activationReading(sig[0])));
    expect(sig[0].zeros).toBe(0);
    await side.scrollIntoViewIfNeeded();
    await screenshot(page, 'layers-compare-en');
    await shell.setLanguage('ko');
    await side.locator('[data-reading="zeros"]').first().waitFor();
    const ko = await side.locator('[data-reading="zeros"]').allTextContents();
    expect(ko.some((s) => /^ReLU 층: 활성화의 \d+%가 정확히 0입니다 \(희소\)$/.test(s))).toBe(true);
    await side.scrollIntoViewIfNeeded();
    await screenshot(page, 'layers-compare-ko');
    expect(errors).toEqual([]);
  });
});
