/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';

export class RunsPage {
  constructor(readonly page: Page) {}

  row(name: string) { return this.page.getByTestId('runs-table').getByRole('row').filter({ hasText: name }); }
  async select(name: string): Promise<void> { await this.page.getByRole('checkbox', { name: `Select ${name}` }).check(); }
  async compare(): Promise<void> {
    await this.page.getByRole('button', { name: /^Compare selected/ }).click();
    await this.page.getByTestId('compare-table').waitFor();
  }
  async rename(name: string, next: string, tags: string): Promise<void> {
    await this.page.getByRole('button', { name: `Edit ${name}` }).click();
    await this.page.getByLabel('Name', { exact: true }).fill(next);
    await this.page.getByLabel('Tags').fill(tags);
    await this.page.getByRole('button', { name: 'Save' }).click();
    await this.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  }
  async exportRun(name: string): Promise<string> {
    await this.page.getByRole('button', { name: `Export ${name}` }).click();
    return (await this.page.getByTestId('runs-message').textContent()) ?? '';
  }
  /** The book's table in the comparison: [label, train cell, val cell]. */
  async compareRows(): Promise<string[][]> {
    return this.page.locator('[data-testid="compare-table"] tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));
  }
}
