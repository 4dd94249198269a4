/**
 * The chosen language as reactive state: templates that call `t()` re-render when it changes.
 */
import { initialLocale, translate, type Locale, type MessageKey, type Params } from './translate.js';
import { localClassNames } from './class-names.js';

const STORAGE_KEY = 'layerlab.locale';

function readStored(): string | null {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

class I18n {
  locale = $state<Locale>(initialLocale(readStored(), typeof navigator === 'undefined' ? [] : navigator.languages));

  set(locale: Locale): void {
    this.locale = locale;
    try { localStorage.setItem(STORAGE_KEY, locale); } catch { /* private mode: the choice lasts this session */ }
    document.documentElement.lang = locale;
  }
}

export const i18n = new I18n();

export function t(key: MessageKey, params?: Params): string {
  return translate(i18n.locale, key, params);
}

/** Numbers the way the chosen language writes them. */
export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString(i18n.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A dataset's class names in the chosen language (built-in datasets only; see class-names.ts). */
export function classNamesOf(datasetId: string | null | undefined, stored: readonly string[]): string[] {
  return localClassNames(i18n.locale, datasetId, stored);
}
