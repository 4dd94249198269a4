/**
 * "Use the model" in the browser, against the real `layerlab serve`: a book-relu run that kept
 * its model (trained from the CLI into the served data folder), a JPEG uploaded through the page,
 * a test sample picked from the gallery, and a file that is not an image. The bars are the
 * service's probabilities (the CLI's answer for the same file, the service's for the same sample);
 * screenshots in English and Korean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { Shell } from './pages/shell.js';
import { layerlab, jsonLines } from '../helpers/cli.js';
import { WsClient } from '../helpers/ws-client.js';
import { loadCatalogIdx } from '../../src-main/data/catalog/idx-datasets.js';
import type { PredictResult } from '../../src-main/shared/predict.js';
import { filterPlane, largest, mapPlane, silentMaps } from '../../src-main/shared/conv-images.js';

describe('using a saved model in the browser', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let runId: string;
  let cnnId: string;
  let jpeg: string;
  let text: string;

  beforeAll(async () => {
    served = await startServer();
    const r = layerlab(['train', '--preset', 'book-relu', '--limit', '600', '--epochs', '1', '--save-model', '--json'], served.home);
    expect(r.code, r.stderr).toBe(0);
    runId = jsonLines(r.stdout).find((l) => l.type === 'result')!.runId as string;
    const cnn = layerlab(['train', '--preset', 'book-cnn', '--limit', '300', '--epochs', '1', '--save-model', '--json'], served.home);
    expect(cnn.code, cnn.stderr).toBe(0);
    cnnId = jsonLines(cnn.stdout).find((l) => l.type === 'result')!.runId as string;
    // Test row 0 (an ankle boot) as an 84×84 JPEG: the page resizes it back to 28×28.
    const data = loadCatalogIdx('fashion-mnist', served.home);
    jpeg = join(served.home, 'boot.jpg');
    await sharp(Buffer.from(data.test!.x.subarray(0, 784)), { raw: { width: 28, height: 28, channels: 1 } }).resize(84, 84).jpeg().toFile(jpeg);
    text = join(served.home, 'notes.txt');
    writeFileSync(text, 'not a picture');
    ({ browser, page, errors } = await openApp(served.url));
    await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  /** The bars of the one answer shown: class index → the probability the page holds. */
  async function shownBars(): Promise<number[]> {
    const rows = page.getByTestId('prediction').locator('tr[data-class]');
    const out: number[] = [];
    for (let i = 0; i < await rows.count(); i++) out[Number(await rows.nth(i).getAttribute('data-class'))] = Number(await rows.nth(i).getAttribute('data-value'));
    return out;
  }

  it('shows a picture\'s class probabilities as the service gives them, with the preprocessing', async () => {
    const shell = new Shell(page);
    await shell.go('Runs');
    await page.getByRole('button', { name: 'Open book-relu' }).click();
    const panel = page.getByTestId('predict-panel');
    await panel.waitFor();
    await panel.getByTestId('predict-file').setInputFiles(jpeg);
    await panel.getByTestId('prediction').waitFor();

    const cli = JSON.parse(layerlab(['predict', runId, jpeg, '--json'], served.home).stdout) as PredictResult;
    const want = cli.results[0];
    if (!want.ok) throw new Error(want.error);
    expect(await shownBars()).toEqual(want.probabilities);
    const names = await panel.locator('tr[data-class] th').allTextContents();
    expect(names).toEqual(cli.classNames);
    expect(await panel.getByTestId('predicted').getAttribute('data-class')).toBe(String(want.predicted));
    expect(await panel.getByTestId('preprocessing').textContent()).toBe('Resized from 84×84 (JPEG) to 28×28, made grayscale, pixel values × 1/255 as in training.');
    expect(await panel.getByTestId('prediction').locator('h3').textContent()).toBe('boot.jpg');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'predict-file-en');
    expect(errors).toEqual([]);
  });

  it('answers for a test sample picked from the gallery as the service does', async () => {
    const panel = page.getByTestId('predict-panel');
    const ws = await WsClient.connect(served.wsUrl);
    try {
      const service = await ws.invoke('runs:predict', { id: runId, samples: [3] });
      const want = service.results[0];
      if (!want.ok) throw new Error(want.error);
      await panel.getByRole('button', { name: new RegExp(`^Test sample 3: `) }).click();
      await panel.getByTestId('prediction').filter({ hasText: 'Test sample 3' }).waitFor();
      expect(await shownBars()).toEqual(want.probabilities);
      expect(await panel.getByTestId('prediction').locator('h3').textContent()).toBe(`Test sample 3 (true class: ${service.classNames[want.sample!.label]})`);
      expect(await panel.getByTestId('preprocessing').textContent()).toBe('A test sample as stored: 28×28, grayscale, pixel values × 1/255 as in training.');
    } finally {
      ws.close();
    }
    expect(errors).toEqual([]);
  });

  it('says in one line, in the chosen language, that a file is not an image; the others still answer', async () => {
    const panel = page.getByTestId('predict-panel');
    await panel.getByTestId('predict-file').setInputFiles([jpeg, text]);
    const line = panel.getByTestId('predict-item-error');
    await line.waitFor();
    expect(await line.textContent()).toBe('notes.txt: not an image. Give a PNG or JPEG file.');
    expect(await panel.getByTestId('prediction').locator('h3').textContent()).toBe('boot.jpg');
    const shell = new Shell(page);
    await shell.setLanguage('ko');
    await panel.getByRole('heading', { name: '모델 써 보기' }).waitFor();
    expect(await line.textContent()).toBe('notes.txt: 그림 파일이 아닙니다. PNG 또는 JPEG 파일을 주세요.');
    expect(await panel.getByTestId('preprocessing').textContent()).toBe('84×84 JPEG 그림을 28×28 크기로 바꾸고 흑백으로 만든 뒤, 훈련 때처럼 픽셀 값에 1/255을 곱했습니다.');
    // The classes as the book names them, in the service's order (the stored names stay English).
    const bars = await panel.getByTestId('prediction').locator('tr[data-class] th').allTextContents();
    expect(bars).toEqual(['티셔츠', '바지', '스웨터', '드레스', '코트', '샌달', '셔츠', '스니커즈', '가방', '앵클 부츠']);
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'predict-file-ko');
    await shell.setLanguage('en');
    expect(errors).toEqual([]);
  });

  it('shows a convolutional run\'s first filters and a test sample\'s feature maps as the service has them (chapter 8-3)', async () => {
    const shell = new Shell(page);
    await shell.go('Runs');
    await page.getByRole('button', { name: 'Open book-cnn' }).click();
    const panel = page.getByTestId('predict-panel');
    await panel.getByRole('button', { name: /^Test sample 0: / }).click();
    await panel.getByTestId('prediction').filter({ hasText: 'Test sample 0' }).waitFor();
    const ws = await WsClient.connect(served.wsUrl);
    let service: PredictResult;
    try {
      service = await ws.invoke('runs:predict', { id: cnnId, samples: [0], maps: true });
    } finally {
      ws.close();
    }
    const want = service.results[0];
    if (!want.ok || !want.maps || !service.filters) throw new Error('the service gave no maps');
    expect(await shownBars()).toEqual(want.probabilities);
    const filters = panel.getByTestId('conv-filters');
    expect(await filters.getAttribute('data-count')).toBe('32');
    expect(service.filters.kernel).toEqual([3, 3, 1, 32]);
    const planes = Array.from({ length: 32 }, (_, k) => filterPlane(service.filters!, k));
    expect(Number(await filters.getAttribute('data-limit'))).toBe(largest(planes.flat()));
    expect(await filters.locator('figcaption').textContent()).toBe('Filters of the first convolution, Conv2D(32, 3×3, relu, same)');
    const maps = panel.getByTestId('conv-maps');
    expect(want.maps.size).toEqual([28, 28, 32]);
    for (let k = 0; k < 32; k++) {
      expect(Number(await maps.locator(`[data-map="${k}"]`).getAttribute('data-max')), `map ${k}`).toBe(Math.max(...mapPlane(want.maps, k)));
    }
    const silent = silentMaps(want.maps);
    expect(Number(await maps.getAttribute('data-silent'))).toBe(silent);
    expect(await maps.locator('[data-reading="maps"]').textContent()).toMatch(silent > 0
      ? new RegExp(`^${silent} of 32 maps are 0 everywhere for this picture`) : /^All 32 maps respond somewhere/);
    await filters.scrollIntoViewIfNeeded();
    await screenshot(page, 'predict-filters-en');
    await maps.scrollIntoViewIfNeeded();
    await screenshot(page, 'predict-maps-en');
    await shell.setLanguage('ko');
    await panel.getByRole('heading', { name: '모델 써 보기' }).waitFor();
    await maps.scrollIntoViewIfNeeded();
    await screenshot(page, 'predict-maps-ko');
    expect(errors).toEqual([]);
  });
});
