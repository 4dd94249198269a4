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
    await form.locator('#imp-path').fill(path);
    if (name) await form.getByLabel(/^Name/).fill(name);
    await form.getByRole('button', { name: 'Import', exact: true }).click();
    const result = form.locator('.notice, [data-testid="import-error"]').first();
    await result.waitFor({ timeout: 60_000 });
    return { ok: (await result.getAttribute('data-testid')) !== 'import-error', text: (await result.textContent()) ?? '' };
  }

  /** Chooses files with the picker (browser mode uploads them on Import); a folder through the folder picker. */
  async choose(paths: string | string[], o: { folder?: boolean } = {}): Promise<void> {
    await this.page.getByTestId(o.folder ? 'import-folder-input' : 'import-file-input').setInputFiles(paths);
    await this.page.getByTestId('import-chosen').waitFor();
  }

  /** Drops files on the import area as a user's drag from the desktop would: a DataTransfer of Files. */
  async drop(files: { name: string; text: string }[]): Promise<void> {
    await this.page.getByTestId('import-drop').evaluate((el, fs) => {
      const dt = new DataTransfer();
      for (const f of fs) dt.items.add(new File([f.text], f.name));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, files);
    await this.page.getByTestId('import-chosen').waitFor();
  }

  /** Presses Import and waits for the notice or the error. */
  async submit(name?: string): Promise<{ ok: boolean; text: string }> {
    const form = this.page.getByRole('region', { name: 'Import a file' });
    if (name) await form.getByLabel(/^Name/).fill(name);
    await form.getByRole('button', { name: 'Import', exact: true }).click();
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
