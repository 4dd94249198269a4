/**
 * Input-to-paint latency of the served UI while a run trains, against an idle reference in the same
 * session. Each interaction clicks the Settings button (open, then close), waits for Svelte's DOM
 * update, then for the next frame to be painted (requestAnimationFrame, then a task).
 *
 *   npm run build && npx tsx bench/ui-latency.ts
 *
 * Prints one JSON object: { p50Ms, p95Ms, maxMs, whileTraining: true, idleP50Ms, ... }.
 */
/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { WsClient } from '../test/helpers/ws-client.js';
import { openApp, startServer } from '../test/e2e/helpers/app.js';

const INTERACTIONS = 50;

/**
 * The in-page loop, as source text: tsx (esbuild keepNames) would wrap a serialised function's
 * inner arrows in a `__name` helper that does not exist in the page.
 */
const MEASURE = `async (n) => {
  const button = document.querySelector('button[aria-controls="settings"]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const times = [];
  for (let i = 0; i < n; i++) {
    const opening = !document.getElementById('settings');
    const t0 = performance.now();
    button.click();
    await Promise.resolve();
    while (!!document.getElementById('settings') !== opening) await new Promise((r) => requestAnimationFrame(r));
    await frame();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 40));
  }
  return times;
}`;

/** Runs `count` open/close clicks in the page and returns each one's latency in ms. */
function measure(page: Page, count: number): Promise<number[]> {
  // Svelte flushes in a microtask; the loop polls per frame in case it ever defers further.
  return page.evaluate(`(${MEASURE})(${count})`) as Promise<number[]>;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

const round = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const served = await startServer();
  const { browser, page, errors } = await openApp(served.url);
  const client = await WsClient.connect(served.wsUrl);
  try {
    const dataset = await client.invoke('datasets:generate', { kind: 'spiral', samples: 4000, noise: 0.1, name: 'bench-spiral' });
    // The editor's model, set through localStorage as a learner's saved model would be.
    await page.evaluate(`localStorage.setItem('layerlab.model', JSON.stringify(${JSON.stringify({
        inputShape: '2',
        layers: [
          { key: 1, type: 'dense', units: 64, activation: 'relu', useBias: true, rate: 0.3 },
          { key: 2, type: 'dense', units: 64, activation: 'relu', useBias: true, rate: 0.3 },
          { key: 3, type: 'dense', units: 2, activation: 'softmax', useBias: true, rate: 0.3 },
        ],
        optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
        training: { epochs: 50, batchSize: 8, validationSplit: 0.2, seed: 1, splitSeed: 42 },
    })}))`);
    await page.reload();
    await page.getByRole('link', { name: 'Train', exact: true }).click();
    await page.getByLabel('Dataset').selectOption(dataset.id);

    const idle = await measure(page, INTERACTIONS);

    await page.getByRole('button', { name: 'Start training' }).click();
    await page.waitForSelector('[data-testid="run-live"][data-status="running"]', { timeout: 60_000 });
    // Let the first epoch land so charts are redrawing while we measure.
    await page.waitForSelector('[data-testid="epochs"] tbody tr', { timeout: 120_000 });
    const busy = await measure(page, INTERACTIONS);
    const status = await page.getByTestId('run-live').getAttribute('data-status');
    await page.getByRole('button', { name: 'Stop' }).click().catch(() => {});

    const sorted = [...busy].sort((a, b) => a - b);
    const idleSorted = [...idle].sort((a, b) => a - b);
    process.stdout.write(JSON.stringify({
      p50Ms: round(quantile(sorted, 0.5)),
      p95Ms: round(quantile(sorted, 0.95)),
      maxMs: round(sorted[sorted.length - 1]),
      whileTraining: status === 'running',
      idleP50Ms: round(quantile(idleSorted, 0.5)),
      idleP95Ms: round(quantile(idleSorted, 0.95)),
      interactions: INTERACTIONS,
      consoleErrors: errors.length,
    }) + '\n');
  } finally {
    client.close();
    await browser.close();
    await served.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`ui-latency: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
