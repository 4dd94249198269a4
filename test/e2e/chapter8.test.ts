/**
 * Chapters 7-3 and 8 in the browser, against the real `layerlab serve`: the book's CNN built in
 * the editor with each layer's shape shown as it is typed, a window too large said on its layer,
 * then book-dropout trained on real Fashion-MNIST with early stopping: the run view says where it
 * stopped and marks the best epoch on the curves, and the saved model is evaluated again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { ModelPage } from './pages/model.js';
import { TrainPage } from './pages/train.js';

describe('convolutional networks and early stopping in the browser', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    served = await startServer();
    ({ browser, page, errors } = await openApp(served.url));
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('builds the book\'s CNN: 333,526 parameters, each layer\'s shape on its row', async () => {
    const model = new ModelPage(page);
    await page.getByRole('link', { name: 'Model' }).click();
    await model.setInputShape('28, 28, 1');
    for (const type of ['Conv2D (convolution)', 'MaxPooling2D', 'Conv2D (convolution)', 'MaxPooling2D']) {
      await page.getByRole('button', { name: `Add ${type}` }).click();
    }
    await model.layer(3).getByLabel('Filters').fill('64');
    await page.getByRole('button', { name: 'Add Dropout' }).click();
    await model.layer(7).getByLabel('Drop rate').fill('0.4');
    const outs = await page.getByTestId('layer-out').allTextContents();
    expect(outs.slice(0, 5)).toEqual([
      '→ (None, 28, 28, 32) · 320 parameters', '→ (None, 14, 14, 32) · 0 parameters', '→ (None, 14, 14, 64) · 18,496 parameters',
      '→ (None, 7, 7, 64) · 0 parameters', '→ (None, 3136) · 0 parameters',
    ]);
    expect(await model.totalParams()).toContain('333,526');
    await screenshot(page, 'chapter8-editor');

    await model.layer(3).getByLabel('Kernel size').fill('30');
    await model.layer(3).getByLabel('Padding').selectOption('valid');
    await expect(model.layer(3).getByTestId('layer-out').textContent()).resolves.toMatch(/Conv2D’s 30×30 window is larger than its 14×14 input/);
    await expect(model.validity().textContent()).resolves.toMatch(/need attention/);
  });

  it('stops book-dropout early, marks the best epoch and evaluates the saved model again', async () => {
    await page.getByRole('button', { name: 'Load book-dropout' }).click();
    // A minimum improvement no epoch reaches: epoch 2 cannot improve on epoch 1, patience 1 ends it.
    await page.getByLabel('Patience (epochs)').fill('1');
    await page.getByLabel('Minimum improvement').fill('5');
    await page.getByLabel('Epochs', { exact: true }).fill('8');
    await page.getByRole('link', { name: 'Train' }).click();
    const train = new TrainPage(page);
    await train.start('Fashion-MNIST', 'dropout early', 1500);
    expect(await train.waitForEnd()).toBe('completed');
    await expect(page.getByTestId('marks').textContent()).resolves.toMatch(/Early stopping ended training after epoch 2\. Best epoch: [12]\./);
    expect((await train.epochRows()).map((r) => r[0])).toEqual([1, 2]);
    const plotted = await train.plotted();
    expect(plotted[0].map((s) => s.label)).toEqual(expect.arrayContaining([expect.stringMatching(/^best epoch \([12]\)$/), 'stopped early (2)']));
    await screenshot(page, 'chapter7-early-stopping');

    // The saved model is the kept one: scored again, it gives the evaluation the run made.
    const shown = /Accuracy: ([\d.]+) \(1,500 samples\)/.exec((await page.getByTestId('evaluation').textContent()) ?? '')?.[1];
    expect(shown).toBeDefined();
    await page.getByRole('button', { name: 'Evaluate the saved model' }).click();
    await expect(page.getByTestId('evaluated').textContent({ timeout: 60_000 })).resolves.toBe(`Evaluated the saved model again on 1,500 test samples: accuracy ${shown}.`);
    expect(errors).toEqual([]);
  });
});
