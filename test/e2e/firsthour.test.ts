/**
 * Issue 12 (a new user's first hour), against the real `layerlab serve`: tiny real runs (Fashion-MNIST
 * --limit, a generated set), then the comparison as a newcomer meets it: in view after "Compare
 * selected", led by a plain sentence whose numbers are the service's, groups named by their runs
 * (Korean included), a refusal for runs on different datasets; in English and Korean, at 1280 and
 * 1024 px. Screenshots go to test/e2e/screenshots/ (looked at, not compared).
 */
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { WsClient } from '../helpers/ws-client.js';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { Shell } from './pages/shell.js';
import type { ModelSpec } from '../../src-main/shared/spec.js';

describe('the first hour, in the browser', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: WsClient;
  let shell: Shell;
  const groups: Record<string, string> = {};

  beforeAll(async () => {
    served = await startServer();
    ({ browser, page, errors } = await openApp(served.url));
    client = await WsClient.connect(served.wsUrl);
    shell = new Shell(page);
    const presets = await client.invoke('models:presets', {});
    const spec = (name: string): ModelSpec => {
      const s = presets.find((p) => p.name === name)!.spec;
      return { ...s, training: { ...s.training, epochs: 3 } };
    };
    const finished = new Promise<void>((resolve) => {
      let n = 0;
      client.on('runs:finished', () => { if (++n === 5) resolve(); });
    });
    groups.sigmoid = (await client.invoke('runs:start', { spec: spec('book-sigmoid'), datasetId: 'fashion-mnist', limit: 600, repeat: 2, name: 'sigmoid' })).group!;
    groups.relu = (await client.invoke('runs:start', { spec: spec('book-relu'), datasetId: 'fashion-mnist', limit: 600, repeat: 2, name: '한국어 시험' })).group!;
    const xor = await client.invoke('datasets:generate', { kind: 'xor', samples: 200, seed: 1, name: 'xor-e2e' });
    const small = { inputShape: [2], layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }], training: { epochs: 1 } };
    await client.invoke('runs:start', { spec: small, datasetId: xor.id, name: 'xor run' });
    await finished;
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await served?.stop();
  });

  async function clearSelection(): Promise<void> {
    const button = page.getByRole('button', { name: shell.lang === 'en' ? 'Clear selection' : '선택 해제' });
    if (await button.isEnabled()) await button.click();
  }

  async function compareGroups(names = ['sigmoid', '한국어 시험']): Promise<void> {
    await shell.go('Runs');
    await clearSelection();
    const select = (name: string) => page.getByRole('checkbox', { name: shell.lang === 'en' ? `Select group ${name}` : `그룹 ${name} 선택` });
    for (const name of names) await select(name).check();
    await page.getByRole('button', { name: shell.lang === 'en' ? /^Compare selected/ : /^선택 항목 비교/ }).click();
    await page.getByTestId('compare-lead').waitFor();
  }

  /** The comparison's heading is on screen, below the sticky header (the page scrolled to it). */
  async function headingInView(): Promise<boolean> {
    return page.getByTestId('comparison').locator('h2').evaluate((h) => {
      const r = h.getBoundingClientRect();
      const header = document.querySelector('header')!.getBoundingClientRect();
      return r.top >= header.bottom && r.bottom <= window.innerHeight;
    });
  }

  for (const width of [1280, 1024]) {
    it(`compares two groups in plain words, in view, at ${width} px`, async () => {
      await page.setViewportSize({ width, height: 800 });
      await compareGroups();
      expect(await headingInView()).toBe(true);
      const cmp = await client.invoke('compare:runs', { groups: [groups.sigmoid, groups.relu] });
      expect(cmp.groups.map((g) => g.label)).toEqual(['sigmoid', '한국어 시험']);
      const lead = (await page.getByTestId('compare-lead').textContent())!;
      const v = cmp.verdict!;
      if (v.better) expect(lead).toContain(`${v.better === 'B' ? '한국어 시험' : 'sigmoid'} is better than ${v.better === 'B' ? 'sigmoid' : '한국어 시험'} by ${(Math.abs(v.difference!) * 100).toFixed(1)} points`);
      else if (v.runsNeeded?.kind === 'estimate') expect(lead).toContain(`한국어 시험 vs sigmoid: no real difference yet; about ${v.runsNeeded.perGroup} runs each would be needed.`);
      else expect(lead).toContain('한국어 시험 vs sigmoid: no real difference yet');
      expect(lead).not.toMatch(/\bpp\b|Holm|p [=<]/);
      // What differs, in words: the book's two models.
      await expect(page.getByTestId('spec-diff').textContent()).resolves.toContain('Dense(100, sigmoid) → Dense(100, relu)');
      // The group chips and the table name groups by their runs, never by id.
      await expect(page.getByTestId('runs-table').textContent()).resolves.not.toContain(groups.relu);
      await screenshot(page, `12-compare-${width}`);
    });
  }

  it('describes one group alone by its spread, and says what a comparison needs', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await compareGroups(['sigmoid']);
    const cmp = await client.invoke('compare:runs', { groups: [groups.sigmoid] });
    const d = cmp.groups[0].final.valAccuracy;
    const lead = (await page.getByTestId('compare-lead').textContent())!;
    expect(lead).toContain(`sigmoid: val score ${d.mean!.toFixed(3)} ± ${d.sd!.toFixed(3)} over 2 runs (from ${d.min!.toFixed(3)} to ${d.max!.toFixed(3)})`);
    expect(lead).not.toContain('Select at least two runs');
  });

  it('refuses runs on different datasets, naming both', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await shell.go('Runs');
    await clearSelection();
    await page.getByRole('checkbox', { name: 'Select group sigmoid' }).check();
    await page.getByRole('checkbox', { name: 'Select xor run' }).check();
    await page.getByRole('button', { name: /^Compare selected/ }).click();
    const error = page.getByTestId('compare-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Cannot compare sigmoid \(trained on Fashion-MNIST \(fashion-mnist\)\) with xor run \(trained on xor-e2e/);
    expect(await headingInView()).toBe(true);
    await page.getByRole('checkbox', { name: 'Select xor run' }).uncheck();
    await page.getByRole('checkbox', { name: 'Select group sigmoid' }).uncheck();
  });

  it('trains a repeat on the Train page: curves scaled to themselves, train and validation told apart, the group as mean ± sd', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await shell.go('Model');
    await page.getByRole('button', { name: 'Load book-relu' }).click();
    // Epochs and repeats are set on the Train page itself; a repeat count the contract refuses is
    // said at the field and keeps Start disabled.
    await shell.go('Train');
    const repeats = page.getByLabel('Repeats (seeds)');
    const start = page.getByRole('button', { name: 'Start training' });
    for (const [typed, said] of [['0', 'Must be at least 1.'], ['101', 'Must be at most 100.'], ['2.5', 'Enter a whole number.'], ['', 'Enter a number.']] as const) {
      await repeats.fill(typed);
      await expect(page.locator('#train-repeats-err').textContent()).resolves.toBe(said);
      expect(await start.isDisabled()).toBe(true);
    }
    await page.getByLabel('Epochs', { exact: true }).fill('0');
    await expect(page.locator('#train-epochs-err').textContent()).resolves.toBe('Must be at least 1.');
    await page.getByLabel('Epochs', { exact: true }).fill('4');
    await repeats.fill('2');
    expect(await page.locator('#train-repeats-err').count()).toBe(0);
    await expect(page.getByTestId('repeats-hint').textContent()).resolves.toContain('2 runs with seeds 1 to 2, 4 epochs each');
    await page.setViewportSize({ width: 1024, height: 800 });
    await screenshot(page, '12-train-fields-1024');
    await page.setViewportSize({ width: 1280, height: 800 });
    // One store: the Model page shows what was set here.
    await shell.go('Model');
    expect(await page.getByLabel('Epochs', { exact: true }).inputValue()).toBe('4');
    expect(await page.getByLabel('Repeats (seeds)').inputValue()).toBe('2');
    await shell.go('Train');
    await page.getByLabel('Dataset').selectOption({ label: 'Fashion-MNIST' });
    await page.getByLabel('Limit training samples').fill('600');
    await page.getByLabel(/^Run name/).fill('repeat-e2e');
    await page.getByRole('button', { name: 'Start training' }).click();
    const summary = page.getByTestId('group-summary');
    await summary.waitFor({ timeout: 120_000 });
    const runs = (await client.invoke('runs:list', {})).filter((r) => r.name.startsWith('repeat-e2e'));
    expect(runs).toHaveLength(2);
    const vals = runs.map((r) => r.valAccuracy!);
    const mean = (vals[0] + vals[1]) / 2;
    const sd = Math.abs(vals[0] - vals[1]) / Math.SQRT2;
    expect(await page.getByTestId('group-scores').textContent()).toContain(`val score ${mean.toFixed(3)} ± ${sd.toFixed(3)} (mean ± sd over 2 seeds)`);
    // The group's curves: the mean per epoch, with a band (mean ± sd) behind it.
    const plotted = await summary.locator('[data-series]').evaluateAll((els) => els.map((e) => JSON.parse(e.getAttribute('data-series')!) as { label: string; points: [number, number][] }[]));
    const details = await Promise.all(runs.map((r) => client.invoke('runs:show', { id: r.id })));
    // What the Train page's fields said reached the run contract: 4 epochs, seeds 1 and 2, one group.
    expect(details.map((d) => d.spec.training.epochs)).toEqual([4, 4]);
    expect(runs.map((r) => r.seed).sort()).toEqual([1, 2]);
    expect(new Set(runs.map((r) => r.group)).size).toBe(1);
    const valLossMean = details[0].epochs.map((e, i) => (e.valLoss + details[1].epochs[i].valLoss) / 2);
    plotted[0].find((x) => x.label === 'validation')!.points.forEach(([, y], i) => expect(y).toBeCloseTo(valLossMean[i], 6));
    // Each seed's own page: the loss axis fits the epoch curves (no floor at 0, no batch curve unless asked).
    const live = page.getByTestId('run-live');
    const lossCanvas = live.locator('canvas').first();
    const yMin = Number(await lossCanvas.getAttribute('data-y-min'));
    const ownLoss = await live.locator('[data-series]').first().evaluate((e) => JSON.parse(e.getAttribute('data-series')!) as { label: string; points: [number, number][] }[]);
    expect(ownLoss.map((x) => x.label)).toEqual(expect.arrayContaining(['train', 'validation']));
    const lows = ownLoss.filter((x) => x.label === 'train' || x.label === 'validation').flatMap((x) => x.points.map((pt) => pt[1]));
    expect(yMin).toBeGreaterThan(0);
    expect(yMin).toBeLessThanOrEqual(Math.min(...lows));
    // The epoch with the lowest validation loss is marked.
    const own = details.find((d) => d.id === (runs.find((r) => r.seed === 1) ?? runs[0]).id)!;
    const lowest = own.epochs.reduce((a, b) => (b.valLoss < a.valLoss ? b : a)).epoch;
    expect(ownLoss.map((x) => x.label)).toContain(`lowest validation loss (epoch ${lowest})`);
    await summary.scrollIntoViewIfNeeded();
    await screenshot(page, '12-train-group');
    await live.scrollIntoViewIfNeeded();
    await screenshot(page, '12-train-run');
  });

  it('says it all in Korean, at 1280 and 1024 px', async () => {
    await shell.setLanguage('ko');
    // The bundled Noto Sans KR (served by layerlab serve itself) is loaded and covers Hangul.
    const font = await page.evaluate(async () => {
      await document.fonts.ready;
      const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Noto Sans KR');
      return { loaded: faces.filter((f) => f.status === 'loaded').map((f) => f.weight), check: document.fonts.check('16px "Noto Sans KR"', '한국어 시험') };
    });
    expect(font.loaded.sort()).toEqual(['400', '700']);
    expect(font.check).toBe(true);
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      await compareGroups();
      const lead = (await page.getByTestId('compare-lead').textContent())!;
      expect(lead).toMatch(/한국어 시험 대 sigmoid: 아직 뚜렷한 차이가 없습니다|더 좋습니다/);
      expect(lead).not.toMatch(/\bpp\b|points|vs/);
      await expect(page.getByTestId('spec-diff').textContent()).resolves.toContain('Dense(100, sigmoid) → Dense(100, relu)');
      await screenshot(page, `12-compare-ko-${width}`);
    }
    await clearSelection();
    await page.getByRole('checkbox', { name: 'xor run 선택' }).check();
    await page.getByRole('checkbox', { name: '그룹 sigmoid 선택' }).check();
    await page.getByRole('button', { name: /^선택 항목 비교/ }).click();
    await expect(page.getByTestId('compare-error').textContent()).resolves.toMatch(/^sigmoid\(Fashion-MNIST \(fashion-mnist\)에서 훈련\)와 xor run\(.*\)는 비교할 수 없습니다/);
    await screenshot(page, '12-compare-refused-ko');
  });

  it('explains a missing or wrong token instead of retrying forever', async () => {
    const bare = served.url.replace(/\?token=.*$/, '');
    for (const [url, text, shot] of [[bare, 'has no ?token=', '12-token-missing'], [`${bare}?token=not-the-token`, 'is not the one this Layerlab server accepts', '12-token-wrong']] as const) {
      const other = await browser.newPage({ viewport: { width: 1024, height: 700 } });
      const seen: string[] = [];
      other.on('pageerror', (e) => seen.push(e.message));
      await other.goto(url);
      const card = other.getByTestId('token-page');
      await card.waitFor({ timeout: 15_000 });
      expect(await card.textContent()).toContain(text);
      expect(await other.getByRole('status').first().textContent()).toMatch(/^Not connected: (no|wrong) token$/);
      await screenshot(other, shot);
      expect(seen).toEqual([]);
      await other.close();
    }
  });

  it('logged no console errors', () => {
    expect(errors).toEqual([]);
  });
});
