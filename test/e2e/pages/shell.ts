/** The app shell: navigation by link name (in the current language) and the language setting. */
import type { Page } from 'playwright-core';

export type Place = 'Data' | 'Model' | 'Train' | 'Runs';
export const KOREAN: Record<Place, string> = { Data: '데이터', Model: '모델', Train: '훈련', Runs: '실행 기록' };

export class Shell {
  constructor(readonly page: Page, public lang: 'en' | 'ko' = 'en') {}

  link(place: Place) {
    const name = this.lang === 'en' ? place : KOREAN[place];
    return this.page.getByRole('navigation').getByRole('link', { name, exact: true });
  }

  async go(place: Place): Promise<void> {
    await this.link(place).click();
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }

  async setLanguage(lang: 'en' | 'ko'): Promise<void> {
    await this.page.getByRole('button', { name: this.lang === 'en' ? /Settings/ : /설정/ }).click();
    await this.page.getByLabel(this.lang === 'en' ? 'Language' : '언어').selectOption(lang);
    this.lang = lang;
    await this.page.keyboard.press('Escape');
  }
}
