import type { Page } from 'playwright-core';

export class DataPage {
  constructor(readonly page: Page) {}

  async generate(kind: 'circle' | 'xor' | 'gaussian' | 'spiral', samples: number, name: string): Promise<void> {
    const form = this.page.getByRole('region', { name: 'Generate a 2D set' });
    await form.getByLabel('Shape').selectOption(kind);
    await form.getByLabel('Samples').fill(String(samples));
    await form.getByLabel(/^Name/).fill(name);
    await form.getByRole('button', { name: 'Generate' }).click();
    await form.getByRole('status').filter({ hasText: name }).waitFor();
  }

  /** Imports a file by path; resolves with the notice or the error shown. */
  async import(path: string, name?: string): Promise<{ ok: boolean; text: string }> {
    const form = this.page.getByRole('region', { name: 'Import a file' });
    await form.getByLabel('Path to a file or folder').fill(path);
    if (name) await form.getByLabel(/^Name/).fill(name);
    await form.getByRole('button', { name: 'Import' }).click();
    const result = form.locator('.notice, [data-testid="import-error"]').first();
    await result.waitFor({ timeout: 60_000 });
    return { ok: (await result.getAttribute('data-testid')) !== 'import-error', text: (await result.textContent()) ?? '' };
  }

  row(name: string) {
    return this.page.getByTestId('datasets').getByRole('row').filter({ hasText: name });
  }

  async show(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Show ${name}` }).click();
    await this.page.getByRole('heading', { name: `Preview: ${name}` }).waitFor();
  }
}
