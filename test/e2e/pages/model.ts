import type { Page } from 'playwright-core';

export class ModelPage {
  constructor(readonly page: Page) {}

  async setInputShape(text: string): Promise<void> { await this.page.getByLabel('Input shape').fill(text); }
  async removeLayer(n: number): Promise<void> { await this.page.getByRole('button', { name: `Remove layer ${n}` }).click(); }
  async setUnits(n: number, units: number): Promise<void> { await this.layer(n).getByLabel('Units').fill(String(units)); }
  async setActivation(n: number, fn: string): Promise<void> { await this.layer(n).getByLabel('Activation function').selectOption(fn); }
  async setTraining(label: 'Epochs' | 'Batch size' | 'Validation split' | 'Seed', value: number): Promise<void> {
    await this.page.getByLabel(label, { exact: true }).fill(String(value));
  }
  async setRepeats(n: number): Promise<void> { await this.page.getByLabel('Repeats (seeds)').fill(String(n)); }
  layer(n: number) { return this.page.locator(`[data-layer="${n - 1}"]`); }
  async totalParams(): Promise<string> { return (await this.page.getByTestId('total-params').textContent()) ?? ''; }
  validity() { return this.page.getByTestId('model-validity'); }
}
