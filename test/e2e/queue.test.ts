/**
 * Issue 17 in the browser: `layerlab serve --redis` on a real redis-server, one `layerlab worker`
 * with its own data folder. A tiny run started from the Train page goes through the queue,
 * completes, and its page names the worker; Redis killed for a moment shows the paused banner,
 * then the resumed note, in English and Korean. Screenshots go to test/e2e/screenshots/.
 */
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { openApp, screenshot, startServer, type Served } from './helpers/app.js';
import { Shell } from './pages/shell.js';
import { ModelPage } from './pages/model.js';
import { TrainPage } from './pages/train.js';
import { RunsPage } from './pages/runs.js';
import { tempHome } from '../helpers/home.js';
import { startRedis, startWorker, stopWorker, type TestRedis } from '../helpers/redis.js';

describe('serve --redis in the browser', () => {
  let redis: TestRedis;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let worker: { child: ChildProcess; log: () => string };
  const workerHome = tempHome('layerlab-e2e-worker-');

  beforeAll(async () => {
    redis = await startRedis();
    [served, worker] = await Promise.all([startServer({ LAYERLAB_REDIS: redis.url }), startWorker(redis.url, workerHome.home, 'e2e-worker')]);
    ({ browser, page, errors } = await openApp(served.url));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (worker) await stopWorker(worker);
    await redis?.cleanup();
    workerHome.cleanup();
  });

  it('says the queue is connected, trains a run on the worker, and names the worker on the run page', async () => {
    const state = page.getByTestId('queue-state');
    await expect(state.textContent()).resolves.toMatch(/^Queue: connected/);
    expect(await state.getAttribute('title')).toBe(`Runs go to the Redis queue at ${redis.url}`);

    const shell = new Shell(page);
    await shell.go('Model');
    await new ModelPage(page).setTraining('Epochs', 2);
    await shell.go('Train');
    const train = new TrainPage(page);
    await train.start('Fashion-MNIST', 'queued run', 300);
    expect(await train.waitForEnd()).toBe('completed');
    expect((await train.epochRows()).map((r) => r[0])).toEqual([1, 2]);
    await expect(page.getByTestId('run-worker').textContent()).resolves.toMatch(/^Worker: e2e-worker on \S+$/);
    // The worker took it (its own log says so), and the header counts the worker it heard from.
    expect(worker.log()).toContain(`run ${await train.runId()}: taken`);
    await expect(state.textContent()).resolves.toMatch(/^Queue: connected · 1 worker\(s\) seen$/);
    await screenshot(page, 'queue-run-en');
    // The Runs list names the worker in its own column, and filters by it; in Korean too.
    await shell.go('Runs');
    const row = new RunsPage(page).row('queued run');
    await expect(row.getByTestId('runs-worker').textContent()).resolves.toBe('e2e-worker');
    await expect(page.getByLabel('Worker').locator('option').allTextContents()).resolves.toEqual(['All', 'e2e-worker']);
    await screenshot(page, 'queue-runs-en');
    await shell.setLanguage('ko');
    await expect(page.getByRole('columnheader', { name: '워커' }).count()).resolves.toBe(1);
    await screenshot(page, 'queue-runs-ko');
    await shell.setLanguage('en');
  });

  it('shows dispatch paused while Redis is away and resumed when it is back, in English and Korean', async () => {
    await redis.stop();
    const banner = page.getByTestId('queue-banner');
    await page.locator('[data-testid="queue-banner"][data-state="paused"]').waitFor({ timeout: 30_000 });
    // First the connection is lost; the next try is refused, and the banner says so.
    await banner.filter({ hasText: 'ECONNREFUSED' }).waitFor({ timeout: 30_000 });
    await expect(banner.textContent()).resolves.toContain(`Training queue paused: Redis at ${redis.url} cannot be reached (ECONNREFUSED).`);
    await expect(page.getByTestId('queue-state').textContent()).resolves.toMatch(/^Queue: paused/);
    await screenshot(page, 'queue-paused-en');
    const shell = new Shell(page);
    await shell.setLanguage('ko');
    await expect(banner.textContent()).resolves.toContain('훈련 대기열 일시 중지');
    await screenshot(page, 'queue-paused-ko');

    await redis.restart();
    await page.locator('[data-testid="queue-banner"][data-state="resumed"]').waitFor({ timeout: 30_000 });
    await expect(banner.textContent()).resolves.toContain('훈련 대기열 재개');
    await screenshot(page, 'queue-resumed-ko');
    await shell.setLanguage('en');
    await expect(banner.textContent()).resolves.toContain(`Training queue resumed: Redis at ${redis.url} is back, and runs go out again.`);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expect(banner.count()).resolves.toBe(0);
    await expect(page.getByTestId('queue-state').textContent()).resolves.toMatch(/^Queue: resumed/);
    // Settings says the queue is the command line's, and offers no form to change it.
    await page.getByRole('button', { name: /Settings/ }).click();
    await expect(page.getByTestId('queue-setting').textContent()).resolves.toContain(`Set by --redis when Layerlab started (${redis.url})`);
    await expect(page.getByLabel('Redis address').count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});

describe('the queue setting in the browser (serve without --redis)', () => {
  let redis: TestRedis;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    [redis, served] = await Promise.all([startRedis(['--requirepass', 'pa55word']), startServer()]);
    ({ browser, page, errors } = await openApp(served.url));
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await redis?.cleanup();
  });

  it('refuses a wrong address in one line, saves a right one with its password hidden, and the header shows the queue', async () => {
    await page.getByRole('button', { name: /Settings/ }).click();
    await expect(page.getByTestId('queue-current').textContent()).resolves.toBe('Runs train on this machine.');
    await expect(page.getByTestId('queue-state').count()).resolves.toBe(0);
    const address = page.getByLabel('Redis address');
    await address.fill(`http://127.0.0.1:${redis.port}`);
    await page.getByRole('button', { name: 'Save and use' }).click();
    await expect(page.getByTestId('queue-error').textContent()).resolves.toMatch(/^Redis address: 'http:\/\/127\.0\.0\.1:\d+' is not a Redis address/);

    await address.fill(`redis://:pa55word@127.0.0.1:${redis.port}`);
    await page.getByLabel('Trainers here that also take runs from the queue').fill('1');
    await page.getByRole('button', { name: 'Save and use' }).click();
    const hidden = `redis://:***@127.0.0.1:${redis.port}`;
    await expect(page.getByTestId('queue-saved').textContent()).resolves.toBe(`Saved: runs go to the queue at ${hidden}.`);
    await expect(page.getByTestId('queue-current').textContent()).resolves.toBe(`Runs go to the queue at ${hidden}.`);
    await expect(address.inputValue()).resolves.toBe('');
    await page.getByTestId('queue-state').filter({ hasText: /^Queue: connected · 1 trainer\(s\) here$/ }).waitFor();
    await screenshot(page, 'queue-setting-en');
    const shell = new Shell(page);
    await page.getByRole('button', { name: 'Close settings' }).click();
    await shell.setLanguage('ko');
    await page.getByRole('button', { name: /설정/ }).click();
    await expect(page.getByTestId('queue-current').textContent()).resolves.toBe(`실행은 ${hidden}의 대기열로 갑니다.`);
    await screenshot(page, 'queue-setting-ko');
    expect(await page.content()).not.toContain('pa55word');
    // The service's refusal is coded, so the page says it in Korean (the wrong password reached Redis).
    await page.getByLabel('Redis 주소').fill(`redis://:wrong@127.0.0.1:${redis.port}`);
    await page.getByRole('button', { name: '저장하고 사용' }).click();
    await expect(page.getByTestId('queue-error').textContent()).resolves.toMatch(new RegExp(`^Redis 주소 redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}: Redis가 비밀번호를 거부했습니다`));
    await expect(page.getByTestId('queue-current').textContent()).resolves.toBe(`실행은 ${hidden}의 대기열로 갑니다.`);
    await screenshot(page, 'queue-setting-ko-refused');

    await page.getByRole('button', { name: '이 컴퓨터에서만 훈련' }).click();
    // The page changes when the service answers (it first hands back what waits on the queue).
    await page.getByTestId('queue-saved').filter({ hasText: '저장됨: 실행은 이 컴퓨터에서 훈련됩니다.' }).waitFor();
    await expect(page.getByTestId('queue-current').textContent()).resolves.toBe('실행은 이 컴퓨터에서 훈련됩니다.');
    await page.getByTestId('queue-state').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
