/**
 * Issue 12, layout: nothing the first hour needs is cut off or wrapped into nonsense at 1024 and
 * 1280 px, in English and Korean. The checks are geometry read from the page (an element's
 * scrollWidth against its clientWidth, a cell's line count), never pixel comparisons; the
 * screenshots go to test/e2e/screenshots/ to be looked at.
 */
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { ROOT } from '../helpers/build.js';
import { WsClient } from '../helpers/ws-client.js';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { Shell } from './pages/shell.js';

const FIX = join(ROOT, 'test', 'fixtures');

/** How far an element's content runs past its box (0 when it fits), and the page's own overflow. */
async function overflow(l: Locator): Promise<number> {
  return l.evaluate((e) => e.scrollWidth - e.clientWidth);
}
async function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('layout at 1024 and 1280 px, in English and Korean', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: WsClient;
  let shell: Shell;
  let runId = '';

  beforeAll(async () => {
    served = await startServer();
    ({ browser, page, errors } = await openApp(served.url));
    client = await WsClient.connect(served.wsUrl);
    shell = new Shell(page);
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    // Images (an 8×8 digit as 64 pixel columns), a table of 20 long-named columns, iris, and a 10-class run.
    await client.invoke('datasets:import', { source: { path: join(FIX, 'csv', 'pixels-8x8.csv') }, options: { name: 'pixels' } });
    await client.invoke('datasets:import', { source: { path: join(FIX, 'csv', 'iris.csv') } });
    await client.invoke('datasets:import', { source: { path: join(FIX, 'e2e', 'wide-20.csv') }, options: { name: 'wide' } });
    const presets = await client.invoke('models:presets', {});
    const relu = presets.find((p) => p.name === 'book-relu')!.spec;
    const finished = new Promise<void>((resolve) => client.on('runs:finished', () => resolve()));
    runId = (await client.invoke('runs:start', { spec: { ...relu, training: { ...relu.training, epochs: 1 } }, datasetId: 'fashion-mnist', limit: 300, name: 'layout' })).runIds[0];
    await finished;
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await served?.stop();
  });

  for (const lang of ['en', 'ko'] as const) {
    for (const width of [1280, 1024]) {
      it(`fits the Data page's tables and the confusion matrix (${lang}, ${width} px)`, async () => {
        if (shell.lang !== lang) await shell.setLanguage(lang);
        await page.setViewportSize({ width, height: 900 });
        await shell.go('Data');
        // The datasets table: every column inside its card, and the kind ("imported", 가져옴) on one line.
        const table = page.getByTestId('datasets');
        await table.locator('tr[data-dataset]').first().waitFor();
        expect(await overflow(table.locator('xpath=..'))).toBeLessThanOrEqual(0);
        const kinds = await table.locator('td[data-col="kind"]').evaluateAll((tds) => tds.map((td) => {
          const r = document.createRange();
          r.selectNodeContents(td);
          return { text: td.textContent!.trim(), lines: r.getClientRects().length };
        }));
        expect(kinds.length).toBeGreaterThan(0);
        for (const k of kinds) expect(k.lines, k.text).toBe(1);
        // A 20-column sample table scrolls inside its own box; the box stays inside the card and the
        // page does not scroll sideways.
        const preview = page.getByTestId('preview');
        await page.getByTestId('datasets').getByRole('button', { name: lang === 'en' ? 'Show wide' : 'wide 보기' }).click();
        await preview.getByRole('heading', { name: /wide/ }).waitFor();
        const wide = preview.getByTestId('sample-table');
        await wide.waitFor();
        expect(await overflow(wide)).toBeGreaterThan(0);
        // Scrolled to its far right, each row's label is still in view (held at the left).
        await wide.evaluate((e) => { e.scrollLeft = e.scrollWidth; });
        const labelInView = await wide.evaluate((e) => {
          const box = e.getBoundingClientRect();
          const cell = e.querySelector('tbody td')!.getBoundingClientRect();
          // The column's heading is on top of the scrolled headings, not under them.
          const head = e.querySelector('thead th')!.getBoundingClientRect();
          const onTop = document.elementFromPoint(head.left + 4, head.top + head.height / 2)?.closest('th') === e.querySelector('thead th');
          return { left: cell.left >= box.left - 1 && cell.right <= box.right && onTop, text: e.querySelector('tbody td')!.textContent };
        });
        expect(labelInView.left).toBe(true);
        expect(['benign', 'malignant']).toContain(labelInView.text);
        expect(await overflow(preview)).toBeLessThanOrEqual(0);
        expect(await wide.evaluate((e) => e.getBoundingClientRect().right <= e.closest('[data-testid="preview"]')!.getBoundingClientRect().right)).toBe(true);
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        await screenshot(page, `12-data-wide-${lang}-${width}`);
        // Images: the per-class thumbnails fit.
        await page.getByTestId('datasets').getByRole('button', { name: lang === 'en' ? 'Show pixels' : 'pixels 보기' }).click();
        await preview.getByRole('heading', { name: /pixels/ }).waitFor();
        expect(await overflow(preview)).toBeLessThanOrEqual(0);
        // iris: its 4 features and label fit without scrolling at all.
        await page.getByTestId('datasets').getByRole('button', { name: lang === 'en' ? 'Show iris' : 'iris 보기' }).click();
        await preview.getByRole('heading', { name: /iris/ }).waitFor();
        expect(await overflow(preview.getByTestId('sample-table'))).toBeLessThanOrEqual(0);
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        await screenshot(page, `12-data-iris-${lang}-${width}`);

        // The 10-class confusion matrix of a finished run, on the Runs page.
        await shell.go('Runs');
        await page.locator(`tr[data-run-id="${runId}"] button.link`).click();
        const matrix = page.getByTestId('confusion');
        await matrix.waitFor({ timeout: 30_000 });
        await matrix.scrollIntoViewIfNeeded();
        expect(await matrix.locator('thead th.col').count()).toBe(10);
        expect(await overflow(matrix)).toBeLessThanOrEqual(0);
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        // Readable: every class name is shown whole (not cut with an ellipsis).
        const cut = await matrix.locator('th.col span, tbody th').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
        expect(cut).toEqual([]);
        await screenshot(page, `12-confusion-${lang}-${width}`);
      });
    }
  }

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
