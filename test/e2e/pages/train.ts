/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';

export interface PlottedSeries { label: string; points: [number, number][] }

export class TrainPage {
  constructor(readonly page: Page) {}

  async start(dataset: string, name: string, limit?: number): Promise<void> {
    await this.page.getByLabel('Dataset').selectOption({ label: dataset });
    await this.page.getByLabel('Limit training samples').fill(limit ? String(limit) : '');
    await this.page.getByLabel(/^Run name/).fill(name);
    await this.page.getByRole('button', { name: 'Start training' }).click();
  }

  live() { return this.page.getByTestId('run-live'); }

  /** Waits until the shown run has ended and its evaluation (if completed) is on screen. */
  async waitForEnd(timeoutMs = 180_000): Promise<string> {
    await this.page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="run-live"]');
      const s = el?.getAttribute('data-status');
      return s === 'completed' || s === 'failed' || s === 'stopped';
    }, null, { timeout: timeoutMs, polling: 250 });
    const status = (await this.live().getAttribute('data-status')) ?? '';
    if (status === 'completed') await this.page.getByTestId('evaluation').waitFor({ timeout: 30_000 });
    return status;
  }

  async runId(): Promise<string> { return (await this.live().getAttribute('data-run-id')) ?? ''; }

  /** The numbers each chart plots, as the chart component exposes them. */
  async plotted(): Promise<PlottedSeries[][]> {
    return this.page.locator('[data-testid="run-live"] [data-series]').evaluateAll((els) => els.map((e) => JSON.parse(e.getAttribute('data-series') ?? '[]')));
  }

  /** The epoch table's numbers: [epoch, loss, accuracy, valLoss, valAccuracy]. */
  async epochRows(): Promise<number[][]> {
    return this.page.locator('[data-testid="epochs"] tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 5).map((td) => Number(td.textContent!.replace(/,/g, '')))));
  }
}
