/**
 * Plain translation logic (no runes), so unit tests can import it without the Svelte compiler.
 */
import { en, type MessageKey } from './en.js';
import { ko } from './ko.js';

export type Locale = 'en' | 'ko';
export const LOCALES: readonly Locale[] = ['en', 'ko'];
export type Messages = Record<MessageKey, string>;
export const MESSAGES: Record<Locale, Messages> = { en, ko };
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Fills `{name}` placeholders; a missing parameter stays visible so it gets noticed. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  return format(MESSAGES[locale][key] ?? en[key] ?? key, params);
}

export function isLocale(v: unknown): v is Locale {
  return v === 'en' || v === 'ko';
}

/** The stored choice, else the browser's language, else English. */
export function initialLocale(stored: string | null, languages: readonly string[]): Locale {
  if (isLocale(stored)) return stored;
  return languages.some((l) => l.toLowerCase().startsWith('ko')) ? 'ko' : 'en';
}

export type { MessageKey };
